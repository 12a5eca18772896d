namespace XCally.ModernAuth.Internal;

/// <summary>Registered once by <c>AddXCallyModernAuth</c>, so that calling it again adds nothing twice.</summary>
internal sealed class ModernAuthMarkerService;
