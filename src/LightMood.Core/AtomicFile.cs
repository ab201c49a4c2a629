using System.Runtime.InteropServices;
using System.Text;

namespace LightMood;

/// <summary>
/// Replaces a file all or nothing: the new text goes to <c>PATH.tmp</c>, is flushed to disk, renamed over the file,
/// and the directory is flushed, so a power cut or kill -9 leaves the old file or the new one, never half of one.
/// A failure leaves the old file as it was and no temporary behind.
/// </summary>
public static partial class AtomicFile
{
    public static string TempPath(string path) => path + ".tmp";

    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/> atomically; throws <see cref="IOException"/> or <see cref="UnauthorizedAccessException"/>.</summary>
    public static void WriteAllText(string path, string text) =>
        Write(path, file => file.Write(Encoding.UTF8.GetBytes(text)));

    /// <summary>
    /// Replaces <paramref name="path"/> with what <paramref name="write"/> writes to the temporary (a stream of its own,
    /// flushed to disk after it returns); throws what the file system throws, or what <paramref name="write"/> throws,
    /// with the old file untouched.
    /// </summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var temp = TempPath(path);
        try
        {
            using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(file);
                file.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }

        FlushDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <summary>Removes a <c>.tmp</c> left by a write that was cut off (the file itself is intact); true when one was there.</summary>
    public static bool RemoveStaleTemporary(string path)
    {
        var temp = TempPath(path);
        if (!File.Exists(temp))
        {
            return false;
        }

        TryDelete(temp);
        return true;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // the folder is read-only or gone: nothing was written there either
        }
    }

    /// <summary>fsync(2) on the directory, so the rename itself is on disk (Linux; elsewhere the rename is enough).</summary>
    private static void FlushDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        const int ReadOnly = 0; // O_RDONLY opens a directory on Linux (O_DIRECTORY's value differs per architecture)
        var fd = Open(directory, ReadOnly);
        if (fd < 0)
        {
            return; // a directory we may not open: the rename still happened
        }

        _ = Fsync(fd);
        _ = Close(fd);
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync")]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
