namespace NotebookRunner.Kernel;

/// <summary>Where the dotnet host is, for the kernel and for nested builds.</summary>
public static class DotNet
{
    public static string HostPath()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath)) return hostPath;
        if (Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet") return self;
        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root && File.Exists(Path.Combine(root, "dotnet"))) return Path.Combine(root, "dotnet");
        return OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
    }
}
