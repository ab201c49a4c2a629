using System.Xml.Linq;
using LightMood.Lighting.Engine;

namespace LightMood.Lighting.Tests.Architecture;

/// <summary>
/// The stage projects (Audio, Analysis, Lighting) share only LightMood.Core: none references another, and the
/// lighting build carries no ONNX Runtime (issue 12: the lighting tests used to ship its native library).
/// </summary>
public sealed class StageDependencyTests
{
    private static readonly string[] Stages = ["LightMood.Audio", "LightMood.Analysis", "LightMood.Lighting"];

    [Fact]
    public void Stage_projects_reference_only_core()
    {
        foreach (var stage in Stages.Append("LightMood.Core"))
        {
            var project = XDocument.Load(Path.Combine(Repo.Root, "src", stage, stage + ".csproj"));
            var references = project.Descendants("ProjectReference")
                .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value.Replace('\\', '/')))
                .ToList();
            var allowed = stage == "LightMood.Core" ? Array.Empty<string>() : ["LightMood.Core"];
            Assert.True(references.All(allowed.Contains), $"{stage} references {string.Join(", ", references)}; a stage may reference only LightMood.Core");
        }
    }

    [Fact]
    public void Lighting_assembly_does_not_load_the_other_stages_or_onnx_runtime()
    {
        var referenced = typeof(LightingEngine).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();
        Assert.Contains("LightMood.Core", referenced);
        Assert.DoesNotContain("LightMood.Analysis", referenced);
        Assert.DoesNotContain("LightMood.Audio", referenced);
        Assert.DoesNotContain(referenced, n => n!.Contains("OnnxRuntime", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Lighting_test_output_has_no_onnx_runtime()
    {
        var onnx = Directory.EnumerateFiles(AppContext.BaseDirectory, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f).Contains("onnxruntime", StringComparison.OrdinalIgnoreCase))
            .ToList();
        Assert.True(onnx.Count == 0, "ONNX Runtime in the lighting tests' output: " + string.Join(", ", onnx));
    }
}
