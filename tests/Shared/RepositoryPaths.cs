namespace LstmNotebooks.TestSupport;

/// <summary>
/// The checkout the tests were built from, found from the test binaries (compile-time paths are mapped to /_/ in CI).
/// Linked into every test project.
/// </summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "LstmNotebooks.sln"))) return d.FullName;
        throw new InvalidOperationException($"no LstmNotebooks.sln above {AppContext.BaseDirectory}");
    }
}
