namespace NotebookRunner.Document;

/// <summary>
/// The namespaces the kernel's C# kernel imports before a notebook's first cell (CSharpKernel.cs in
/// dotnet/interactive): code exported out of a notebook needs them as using directives.
/// </summary>
public static class CSharpKernelUsings
{
    public static readonly string[] All =
        ["System", "System.Text", "System.Collections", "System.Collections.Generic", "System.Threading.Tasks", "System.Linq"];
}
