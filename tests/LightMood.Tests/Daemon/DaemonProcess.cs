using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace LightMood.Tests.Daemon;

/// <summary>
/// The built daemon as a real process (<c>dotnet lightmood.dll run …</c>) with its standard input open for raw PCM
/// (<c>run --stdin</c>): the path <c>arecord … | lightmood run --stdin</c> takes, console, capture thread and all.
/// Kestrel on a free loopback port, Art-Net from an ephemeral port, a private feedback file.
/// </summary>
internal sealed class DaemonProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private DaemonProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
        Http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri Address { get; }

    public HttpClient Http { get; }

    /// <summary>The daemon's standard input (raw PCM).</summary>
    public Stream Stdin => _process.StandardInput.BaseStream;

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the daemon wrote on stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts <c>lightmood run --stdin</c> with <paramref name="settings"/> and waits until the page answers.</summary>
    public static async Task<DaemonProcess> StartStdinAsync(params string[] settings)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[]
                 {
                     Path.Combine(AppContext.BaseDirectory, "lightmood.dll"), "run", "--stdin",
                     $"--Web:Urls=http://127.0.0.1:{port}", "--Lighting:ArtNet:ListenPort=0",
                     $"--Web:FeedbackFile={Path.Combine(Path.GetTempPath(), $"lightmood-feedback-{Guid.NewGuid():N}.jsonl")}",
                     "--Serilog:WriteTo:1:Name=Console",
                 }.Concat(settings))
        {
            start.ArgumentList.Add(a);
        }

        var daemon = new DaemonProcess(Process.Start(start)!, new Uri($"http://127.0.0.1:{port}"));
        var until = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < until && !daemon.HasExited)
        {
            try
            {
                if ((await daemon.Http.GetAsync("/api/state")).StatusCode == HttpStatusCode.OK)
                {
                    return daemon;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(100);
        }

        var output = daemon.Output;
        await daemon.DisposeAsync();
        throw new InvalidOperationException($"the daemon did not start:\n{output}");
    }

    /// <summary>
    /// Plays mono <paramref name="music"/> into standard input as f32le with <paramref name="channels"/> equal channels,
    /// in real time (1024-frame periods, each written when due, as a sound card hands them over), looped or followed
    /// by digital silence, until <paramref name="stop"/>. <paramref name="alter"/> may change each interleaved period
    /// before it is written (it gets the frames written before it).
    /// </summary>
    public Task PlayAsync(float[] music, int rate, int channels, CancellationToken stop, Action<float[], long>? alter = null, bool loop = true) =>
        Task.Run(
            () =>
            {
                const int Frames = 1024;
                var block = new float[Frames * channels];
                var bytes = new byte[block.Length * 4];
                var clock = Stopwatch.StartNew();
                long written = 0;
                try
                {
                    while (!stop.IsCancellationRequested)
                    {
                        for (var i = 0; i < Frames; i++)
                        {
                            var at = written + i;
                            var v = loop ? music[(int)(at % music.Length)] : at < music.Length ? music[at] : 0f;
                            block.AsSpan(i * channels, channels).Fill(v);
                        }

                        alter?.Invoke(block, written);
                        for (var i = 0; i < block.Length; i++)
                        {
                            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 * i), block[i]);
                        }

                        Stdin.Write(bytes);
                        Stdin.Flush();
                        written += Frames;
                        var due = TimeSpan.FromSeconds((double)written / rate) - clock.Elapsed;
                        if (due > TimeSpan.Zero)
                        {
                            Thread.Sleep(due);
                        }
                    }
                }
                catch (IOException)
                {
                    // the daemon went away; the test's assertions say why
                }
            },
            CancellationToken.None);

    public async Task<JsonElement> StateAsync() => await Http.GetFromJsonAsync<JsonElement>("/api/state");

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
