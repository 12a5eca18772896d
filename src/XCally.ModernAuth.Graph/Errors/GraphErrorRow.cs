using System.Net;

namespace XCally.ModernAuth.Graph.Internal;

/// <summary>One known Graph refusal: its status, code and (optionally) a fragment of its message, the category, and the fix.</summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="Code">Graph's error code.</param>
/// <param name="MessageFragment">A fragment of Graph's message that tells this case from others with the same code; empty for any.</param>
/// <param name="Category">The category.</param>
/// <param name="Summary">What it means.</param>
/// <param name="Advice">The fix; <c>{mailbox}</c> and <c>{appId}</c> are filled in.</param>
internal sealed record GraphErrorRow(HttpStatusCode Status, string Code, string MessageFragment, ModernAuthErrorCategory Category, string Summary, string Advice)
{
    public bool Matches(int status, string? code, string? message) =>
        (int)Status == status
        && (Code.Length == 0 || string.Equals(Code, code, StringComparison.OrdinalIgnoreCase))
        && (MessageFragment.Length == 0 || (message?.Contains(MessageFragment, StringComparison.OrdinalIgnoreCase) ?? false));
}
