using System.Text;

namespace Bulwark.Cli.Commands;

/// <summary>Where a report goes: a file (<c>--output</c>), the real stdout stream, or a test's writer.</summary>
public static class OutputTarget
{
    public static void Write(ConsoleIo io, string? outputFile, Action<Stream> write)
    {
        if (outputFile is not null)
        {
            using var file = new FileStream(outputFile, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
            write(file);
            return;
        }

        if (io.IsRealConsole)
        {
            io.Out.Flush();
            using var stdout = Console.OpenStandardOutput();
            using var buffered = new BufferedStream(stdout, 1 << 16);
            write(buffered);
            return;
        }

        using var memory = new MemoryStream();
        write(memory);
        io.Out.Write(Encoding.UTF8.GetString(memory.GetBuffer(), 0, (int)memory.Length));
    }
}
