namespace XCally.ModernAuth.Graph; internal static class Placeholder { }
