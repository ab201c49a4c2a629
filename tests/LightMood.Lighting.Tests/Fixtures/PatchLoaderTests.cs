using LightMood.Lighting.Fixtures;

namespace LightMood.Lighting.Tests.Fixtures;

public sealed class PatchLoaderTests
{
    [Fact]
    public void An_invalid_patch_reports_every_error_at_once_naming_fixture_and_field()
    {
        var json = """
            { "fixtures": [
              { "name": "a", "profile": "LightMood/RGBW Par", "mode": "6ch", "universe": 0, "address": 1, "group": "pars" },
              { "name": "b", "profile": "LightMood/RGBW Par", "mode": "6ch", "universe": 0, "address": 4, "group": "pars" },
              { "name": "c", "profile": "LightMood/RGBW Par", "mode": "6ch", "universe": 0, "address": 510, "group": "pars" },
              { "name": "d", "profile": "Nobody/Nothing", "mode": "1ch", "universe": 0, "address": 20, "group": "pars" },
              { "name": "e", "profile": "LightMood/RGBW Par", "mode": "99ch", "universe": 0, "address": 30, "group": "pars" },
              { "name": "f", "profile": "LightMood/RGBW Par", "mode": "4ch", "universe": 40000, "address": 1, "group": "pars" },
              { "name": "a", "profile": "LightMood/RGBW Par", "mode": "4ch", "universe": 1, "address": 0, "group": "" }
            ] }
            """;
        var e = Assert.Throws<LightingConfigException>(() => PatchLoader.Parse(json, "bad-patch.json", Repo.Config, Rigs.Library()));
        var all = string.Join("\n", e.Errors);
        Assert.All(e.Errors, x => Assert.StartsWith("bad-patch.json: ", x, StringComparison.Ordinal));
        Assert.Contains(e.Errors, x => x.Contains("'b'", StringComparison.Ordinal) && x.Contains("overlaps 'a'", StringComparison.Ordinal) && x.Contains("'address'", StringComparison.Ordinal));
        Assert.Contains(e.Errors, x => x.Contains("'c'", StringComparison.Ordinal) && x.Contains("runs past slot 512", StringComparison.Ordinal));
        Assert.Contains(e.Errors, x => x.Contains("'d'", StringComparison.Ordinal) && x.Contains("'profile' 'Nobody/Nothing' is not a known", StringComparison.Ordinal));
        Assert.Contains(e.Errors, x => x.Contains("'e'", StringComparison.Ordinal) && x.Contains("'mode' '99ch'", StringComparison.Ordinal) && x.Contains("4ch, 6ch", StringComparison.Ordinal));
        Assert.Contains(e.Errors, x => x.Contains("'f'", StringComparison.Ordinal) && x.Contains("'universe' 40000", StringComparison.Ordinal));
        Assert.Contains(e.Errors, x => x.Contains("fixtures[6] 'a'", StringComparison.Ordinal) && x.Contains("'name' is used", StringComparison.Ordinal));
        Assert.Contains(e.Errors, x => x.Contains("fixtures[6] 'a'", StringComparison.Ordinal) && x.Contains("'address' 0", StringComparison.Ordinal));
        Assert.Contains(e.Errors, x => x.Contains("fixtures[6] 'a'", StringComparison.Ordinal) && x.Contains("'group' is missing", StringComparison.Ordinal));
        Assert.True(e.Errors.Count == 8, all);
    }

    [Fact]
    public void Adjacent_fixtures_do_not_overlap_and_slot_512_is_usable()
    {
        var patch = PatchLoader.Parse("""
            { "fixtures": [
              { "name": "a", "profile": "LightMood/RGBW Par", "mode": "6ch", "universe": 3, "address": 501, "group": "g" },
              { "name": "b", "profile": "LightMood/RGBW Par", "mode": "6ch", "universe": 3, "address": 507, "group": "g" },
              { "name": "c", "profile": "LightMood/RGBW Par", "mode": "6ch", "universe": 4, "address": 501, "group": "h" }
            ] }
            """, "ok.json", Repo.Config, Rigs.Library());
        Assert.Equal(512, patch.Fixtures[1].LastAddress);
        Assert.Equal([3, 4], patch.Universes);
        Assert.Equal(1, patch.Fixtures[1].IndexInGroup);
        Assert.Equal(0, patch.Fixtures[2].IndexInGroup);
    }

    [Fact]
    public void Malformed_json_and_missing_file_name_the_file()
    {
        var e = Assert.Throws<LightingConfigException>(() => PatchLoader.Parse("{ \"fixtures\": [ { \"name\": 3 } ] }", "p.json", Repo.Config));
        Assert.StartsWith("p.json: ", e.Message, StringComparison.Ordinal);
        var e2 = Assert.Throws<LightingConfigException>(() => PatchLoader.Parse("{ \"fixture\": [] }", "typo.json", Repo.Config));
        Assert.Contains("fixture", e2.Message, StringComparison.Ordinal);
        Assert.Throws<LightingConfigException>(() => PatchLoader.Load("/nonexistent/patch.json"));
    }

    [SkippableFact]
    public void Fixtures_are_patched_by_manufacturer_and_model_from_a_QLC_folder()
    {
        Skip.IfNot(Directory.Exists(Repo.QlcFixtures), "QLC+ fixture library absent: install Debian's qlcplus package");
        var patch = PatchLoader.Parse($$"""
            { "qlcFolders": ["{{Repo.QlcFixtures}}"], "fixtures": [
              { "name": "wash", "profile": "Martin/MAC 250 Wash", "mode": "16 Bt (16 Bit Mode)", "universe": 0, "address": 1, "group": "movers" },
              { "name": "par", "profile": "generic/generic rgbw", "mode": "RGBW Dimmer", "universe": 0, "address": 20, "group": "pars" }
            ] }
            """, "qlc-patch.json", "/");
        Assert.Equal(13, patch.Fixtures[0].Footprint);
        Assert.Equal(5, patch.Fixtures[1].Footprint);
        Assert.Equal("Generic/Generic RGBW", patch.Fixtures[1].Profile.Key);
    }
}
