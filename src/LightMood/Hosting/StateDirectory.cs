namespace LightMood.Hosting;

/// <summary>
/// Makes the state and log directories ready before anything starts: creates them (systemd creates them already,
/// empty, for <c>StateDirectory=</c>/<c>LogsDirectory=</c>), checks that the daemon may write there, and seeds what a
/// first start needs from the shipped config: the scenes file (a copy of config/scenes.json, which scene edits then
/// change) and an empty <c>fixtures/</c> folder for imported profiles. Nothing that exists is ever overwritten, so
/// a restart, an upgrade (a new install over the old one) or a second start racing the first keeps the operator's
/// edits. The CID and the feedback file are created by their owners on first use, in the state directory.
/// </summary>
public static class StateDirectory
{
    /// <summary>Prepares the folders; returns the files it seeded. Throws <see cref="DaemonConfigException"/> (one line) when it cannot.</summary>
    public static IReadOnlyList<string> Prepare(DaemonPaths paths, string scenesFile)
    {
        ArgumentNullException.ThrowIfNull(paths);
        CreateWritable(paths.State, $"{DaemonPaths.SectionName}:StateDirectory");
        CreateWritable(paths.Logs, $"{DaemonPaths.SectionName}:LogDirectory");
        var seeded = new List<string>();
        try
        {
            Directory.CreateDirectory(paths.Fixtures);
            if (!File.Exists(scenesFile))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(scenesFile)!);
                if (CopyIfAbsent(paths.ShippedScenes, scenesFile))
                {
                    seeded.Add(scenesFile);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DaemonConfigException([$"cannot seed the state directory {paths.State} from {paths.ShippedScenes}: {e.Message}"]);
        }

        return seeded;
    }

    /// <summary>
    /// Copies <paramref name="source"/> to <paramref name="destination"/> unless it exists (then false). The bytes are
    /// written to a new file (so the service's umask sets its mode, not the install's) and flushed, then linked into
    /// place without replacing anything.
    /// </summary>
    internal static bool CopyIfAbsent(string source, string destination)
    {
        var bytes = File.ReadAllBytes(source);
        var temp = $"{destination}.{Environment.ProcessId}.seed";
        try
        {
            using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                file.Write(bytes);
                file.Flush(flushToDisk: true);
            }

            File.Move(temp, destination, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(destination))
        {
            return false; // another start seeded it first: theirs stays
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private static void CreateWritable(string directory, string key)
    {
        try
        {
            Directory.CreateDirectory(directory);
            var probe = Path.Combine(directory, $".lightmood-write-test-{Guid.NewGuid():N}");
            using (new FileStream(probe, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DaemonConfigException([$"{key} {directory} is not a writable directory ({e.Message.TrimEnd('.')}); set {key} or run under systemd with StateDirectory=/LogsDirectory="]);
        }
    }
}
