#!/usr/bin/env bash
# Adds every public symbol the PublicApiAnalyzers report as undeclared (RS0016) to the project's PublicAPI.Unshipped.txt
# and drops the ones reported as removed (RS0017). Usage: eng/update-public-api.sh src/<Project>
set -euo pipefail
project_dir=${1:?usage: eng/update-public-api.sh src/<Project>}
unshipped="$project_dir/PublicAPI.Unshipped.txt"
[ -s "$unshipped" ] || echo '#nullable enable' > "$unshipped"
log=$(mktemp)
dotnet build "$project_dir" -p:TreatWarningsAsErrors=false -nologo -clp:NoSummary > "$log" 2>&1 || true
grep -oP "RS0016: Symbol '\K.*(?=' is not part of the declared public API)" "$log" | sed "s/&lt;/</g; s/&gt;/>/g" | sort -u >> "$unshipped" || true
{ grep -oP "RS0017: Symbol '\K.*(?=' is part of the declared API, but)" "$log" || true; } | sort -u | while IFS= read -r removed; do
  grep -vxF -- "$removed" "$unshipped" > "$unshipped.tmp" || true
  mv "$unshipped.tmp" "$unshipped"
done
{ head -n1 "$unshipped"; tail -n +2 "$unshipped" | sort -u; } > "$unshipped.tmp" && mv "$unshipped.tmp" "$unshipped"
grep -E "error|warning" "$log" | grep -vE "RS0016|RS0017" | sed 's/ \[.*//' | sort -u || true
rm -f "$log"
