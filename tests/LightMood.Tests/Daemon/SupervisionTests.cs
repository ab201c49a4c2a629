using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LightMood.Audio.Live;
using LightMood.Hosting;
using NAudio.Wave;

namespace LightMood.Tests.Daemon;

/// <summary>Faults: a failing stage is restarted while the process, the page and the lights keep running.</summary>
public sealed class SupervisionTests
{
    [Fact]
    public async Task A_corrupt_audio_file_faults_the_capture_stage_which_is_restarted_while_the_rest_runs()
    {
        var corrupt = Path.Combine(Path.GetTempPath(), $"corrupt-{Guid.NewGuid():N}.wav");
        await File.WriteAllBytesAsync(corrupt, [.. "RIFF\0\0\0\0WAVEjunk"u8.ToArray(), .. new byte[64]]);
        try
        {
            await using var d = await RunningDaemon.StartAsync(new Dictionary<string, string?>
            {
                ["Audio:Source"] = "file",
                ["Audio:File"] = corrupt,
            });
            var capture = d.Service<CaptureStage>();
            var until = DateTime.UtcNow.AddSeconds(10);
            while (capture.Restarts < 2 && DateTime.UtcNow < until)
            {
                await Task.Delay(100);
            }

            Assert.True(capture.Restarts >= 2, $"restarts: {capture.Restarts}");
            var state = await d.StateAsync();
            Assert.True(state.GetProperty("lights").GetProperty("faulted").GetBoolean());
            Assert.Contains(corrupt, state.GetProperty("faults").GetProperty("capture").GetString(), StringComparison.Ordinal);
            // the page and the engine still answer
            Assert.Equal(HttpStatusCode.NoContent, (await d.Http.PostAsJsonAsync("/api/output/master", new { level = 0.5 })).StatusCode);
            var frame = state.GetProperty("lights").GetProperty("frame").GetInt64();
            await Task.Delay(300);
            Assert.True((await d.StateAsync()).GetProperty("lights").GetProperty("frame").GetInt64() > frame);
        }
        finally
        {
            File.Delete(corrupt);
        }
    }

    [Fact]
    public async Task A_missing_model_faults_the_analysis_names_the_file_and_is_picked_up_once_it_is_back()
    {
        var model = Path.Combine(Path.GetTempPath(), $"lightmood-model-{Guid.NewGuid():N}.onnx");
        try
        {
            await using var d = await RunningDaemon.StartAsync(new Dictionary<string, string?> { ["Analysis:ModelFile"] = model });
            var faulted = await d.WaitForAsync(s => s.GetProperty("faults").TryGetProperty("analysis", out _), 10);
            Assert.Contains(model, faulted.GetProperty("faults").GetProperty("analysis").GetString(), StringComparison.Ordinal);
            Assert.True(faulted.GetProperty("lights").GetProperty("faulted").GetBoolean());   // the safe look
            Assert.Equal(HttpStatusCode.NoContent, (await d.Http.PostAsJsonAsync("/api/output/master", new { level = 0.8 })).StatusCode);

            File.Copy(Path.Combine(AppContext.BaseDirectory, "models", "crnn.onnx"), model);      // the technician puts it back
            var back = await d.WaitForAsync(s => !s.GetProperty("faults").TryGetProperty("analysis", out _) && s.GetProperty("mood").ValueKind != JsonValueKind.Null, 30);
            Assert.False(back.GetProperty("lights").GetProperty("faulted").GetBoolean());
            Assert.True(d.Service<AnalysisStage>().Restarts >= 1);
        }
        finally
        {
            File.Delete(model);
        }
    }

    [Fact]
    public async Task With_the_model_missing_the_lights_stay_on_the_safe_look_while_the_capture_runs_healthy()
    {
        // issue 12: the capture stage becoming healthy used to clear the analysis' fault in the engine, so the look
        // left the safe look for seconds while faults.analysis was still set
        var model = Path.Combine(Path.GetTempPath(), $"lightmood-model-{Guid.NewGuid():N}.onnx");
        await using var d = await RunningDaemon.StartAsync(new Dictionary<string, string?>
        {
            ["Analysis:ModelFile"] = model,
            ["Lighting:SafeLook"] = "House",
        });
        var samples = 0;
        var analysisSamples = 0;
        var captureHealthySamples = 0;
        var analysisBefore = false;
        var until = DateTime.UtcNow.AddSeconds(5);        // covers the analysis' retries at 0.5, 1 and 2 s
        while (DateTime.UtcNow < until)
        {
            var s = await d.StateAsync();
            var faults = s.GetProperty("faults");
            var lights = s.GetProperty("lights");
            var anyFault = faults.EnumerateObject().Any();
            var analysis = faults.TryGetProperty("analysis", out _);
            samples++;
            Assert.True(!anyFault || lights.GetProperty("faulted").GetBoolean(), $"lights.faulted false while faults = {faults}");
            if (analysis && analysisBefore)
            {
                // standing since the previous read (≥ 50 ms, two frames): the safe look is what shows
                analysisSamples++;
                Assert.Equal("house", lights.GetProperty("look").GetString());
                if (!faults.TryGetProperty("capture", out _) && d.Service<CaptureStage>().Restarts == 0 && s.GetProperty("audio").GetProperty("rms_db").GetDouble() > -100)
                {
                    captureHealthySamples++;
                }
            }

            analysisBefore = analysis;
            await Task.Delay(50);
        }

        Assert.True(analysisSamples > samples / 2, $"the analysis was faulted in {analysisSamples} of {samples} reads");
        Assert.True(captureHealthySamples > 0, "the capture never ran healthy beside the faulted analysis");
        Assert.True(d.Service<AnalysisStage>().Restarts >= 2, $"analysis restarts: {d.Service<AnalysisStage>().Restarts}");
    }

    [Fact]
    public async Task Non_finite_samples_are_replaced_by_silence_and_the_analysis_keeps_going()
    {
        await using var d = await RunningDaemon.StartAsync();
        var pipe = d.Service<AudioPipe>();
        // a live source whose chain yields 20 blocks of NaN, then silence, in place of the demo (the ring's own path:
        // every real source already replaces non-finite samples, so this is the analysis' second line of defence)
        using var poisoned = new LiveAudioSource("poison", _ => new PoisonThenSilence(20 * AudioPipe.BlockSamples));
        pipe.Attach(poisoned);
        poisoned.Start();

        var before = (await d.StateAsync()).GetProperty("time_s").GetDouble();
        var later = await d.WaitForAsync(s => s.GetProperty("time_s").GetDouble() > before + 2, 10);
        Assert.True(later.GetProperty("time_s").GetDouble() > before + 2);
        Assert.Equal(0, d.Service<AnalysisStage>().Restarts);
        Assert.False(later.GetProperty("faults").TryGetProperty("analysis", out _));
    }

    /// <summary>Mono at the analysis rate: <c>poisoned</c> NaN samples, then silence paced roughly in real time.</summary>
    private sealed class PoisonThenSilence(int poisoned) : ISampleProvider
    {
        private int _left = poisoned;

        public WaveFormat WaveFormat { get; } = WaveFormat.CreateIeeeFloatWaveFormat(LiveAudioSource.SampleRate, 1);

        public int Read(Span<float> span)
        {
            var count = span.Length;
            var nan = Math.Min(_left, count);
            span[..nan].Fill(float.NaN);
            span[nan..].Clear();
            _left -= nan;
            if (nan == 0)
            {
                Thread.Sleep(count * 1000 / LiveAudioSource.SampleRate);
            }

            return count;
        }
    }
}
