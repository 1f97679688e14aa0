namespace Bulwark.Parsing.Dockerfile;

/// <summary>Prints a syntax tree in BuildKit's dump format (the <c>result</c> files of its parser tests).</summary>
public static class DockerfileAstDumper
{
    /// <summary>The dump of every instruction, one S-expression per line, without a final newline (BuildKit's <c>AST.Dump()</c>).</summary>
    public static string Dump(DockerfileNode root)
    {
        ArgumentNullException.ThrowIfNull(root);
        return root.Dump();
    }

    /// <summary>The dump as BuildKit's tests compare it: with a final newline.</summary>
    public static string DumpWithNewline(DockerfileNode root) => Dump(root) + "\n";
}
