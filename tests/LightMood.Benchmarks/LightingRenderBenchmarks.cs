using BenchmarkDotNet.Attributes;
using LightMood.Lighting.Engine;
using LightMood.Lighting.Fixtures;
using LightMood.Lighting.Scenes;

namespace LightMood.Benchmarks;

/// <summary>One render of 64 fully patched universes (no outputs): the cost per frame and its allocations.</summary>
[MemoryDiagnoser]
public class LightingRenderBenchmarks
{
    private LightingEngine? _engine;

    [Params(1, 64)]
    public int Universes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var root = Directory.GetCurrentDirectory();
        while (!File.Exists(Path.Combine(root, "LightMood.sln")) && Directory.GetParent(root) is { } parent)
        {
            root = parent.FullName;
        }

        var library = new FixtureLibrary();
        library.AddJsonFolder(Path.Combine(root, "config", "fixtures"), []);
        var fixtures = new List<string>();
        for (var u = 0; u < Universes; u++)
        {
            for (var p = 0; p < 32; p++)
            {
                fixtures.Add($$"""{ "name": "u{{u}}p{{p}}", "profile": "LightMood/RGBW Par", "mode": "6ch", "universe": {{u}}, "address": {{1 + (p * 6)}}, "group": "pars" }""");
            }

            for (var m = 0; m < 16; m++)
            {
                fixtures.Add($$"""{ "name": "u{{u}}m{{m}}", "profile": "LightMood/Wash Mover", "mode": "13ch", "universe": {{u}}, "address": {{193 + (m * 13)}}, "group": "movers" }""");
            }
        }

        var patch = PatchLoader.Parse($"{{ \"fixtures\": [ {string.Join(",", fixtures)} ] }}", "bench", root, library);
        var scenes = SceneLoader.Load(Path.Combine(root, "config", "scenes.json"), patch);
        _engine = new LightingEngine(patch, scenes, new LightingOptions(), []);
        _engine.UpdateMood(new MoodState(0, Mood.Tense, 0.9, -0.5, 0.8, 0, 0.6, 128));
        _engine.OnBeat(new Beat(0, 128, 1));
    }

    [GlobalCleanup]
    public void Cleanup() => _engine?.Dispose();

    [Benchmark]
    public void RenderFrame() => _engine!.RenderFrame();
}
