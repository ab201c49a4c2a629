using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using LightMood.Lighting.Engine;
using Xunit.Abstractions;

namespace LightMood.Tests.Daemon;

/// <summary>
/// Issue 16, "must show": a property-based fuzz test of the HTTP API against the real daemon. Random methods, paths,
/// content types, headers and bodies (well-formed commands with hostile values, mutated scenes, random JSON, random
/// bytes, oversized bodies): never a 5xx, never a non-finite number in a JSON answer, and the DMX keeps flowing.
/// A failure prints FsCheck's seed and the request, so the case can be replayed.
/// </summary>
public sealed class ApiFuzzTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Cases = 3000;

    /// <summary>A client that closes a connection whose answer it stops reading (an event stream) instead of draining it.</summary>
    private readonly HttpClient _http = new(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { Timeout = TimeSpan.FromSeconds(20) };
    private RunningDaemon? _daemon;
    private string _scene = "{}";

    public async Task InitializeAsync()
    {
        _daemon = await RunningDaemon.StartAsync();
        _scene = await _daemon.Http.GetStringAsync("/api/scenes/happy");
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        if (_daemon is not null)
        {
            await _daemon.DisposeAsync();
        }
    }

    [Fact]
    public async Task Random_requests_never_get_a_5xx_or_a_non_finite_number_and_the_DMX_keeps_flowing()
    {
        var d = _daemon!;
        var engine = d.Service<LightingEngine>();
        var statuses = new Dictionary<int, int>();
        var started = DateTime.UtcNow;
        // FsCheck runs the cases one after another on a thread of its own, each request awaited there
        var property = Prop.ForAll(ApiRequests.Any(d.Address.Port, _scene).ToArbitrary(), (ApiRequest request) =>
        {
            int status;
            var sw = System.Diagnostics.Stopwatch.StartNew();
            try
            {
                status = Task.Run(() => SendAsync(_http, d, request)).Result;
                if (Environment.GetEnvironmentVariable("LIGHTMOOD_FUZZ_TRACE") == "1")
                {
                    output.WriteLine($"{sw.ElapsedMilliseconds} ms {status} {request}");
                }
            }
            catch (AggregateException e)
            {
                throw new InvalidOperationException($"{request}: {e.InnerException?.Message}", e.InnerException);
            }

            statuses[status] = statuses.GetValueOrDefault(status) + 1;
        });
        await Task.Run(() => Check.One(FuzzConfig.Create(Cases), property));
        output.WriteLine($"{Cases} requests in {(DateTime.UtcNow - started).TotalSeconds:0.0} s; status codes: " +
            string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key} x{s.Value}")));

        // afterwards: the engine still renders, the state still reads, the API still obeys
        var frame = engine.FrameCount;
        var until = DateTime.UtcNow.AddSeconds(2);
        while (engine.FrameCount <= frame + 3 && DateTime.UtcNow < until)
        {
            await Task.Delay(20);
        }

        Assert.True(engine.FrameCount > frame + 3, "the DMX frame counter stopped");
        var state = await d.StateAsync();
        FiniteJson.AssertState(state);
        Assert.True(statuses.Keys.Count(s => s is >= 200 and < 300) > 0 && statuses.Keys.Count(s => s is >= 400 and < 500) > 2);
    }

    /// <summary>Sends one request; asserts the answer; returns the status code.</summary>
    private static async Task<int> SendAsync(HttpClient http, RunningDaemon d, ApiRequest r)
    {
        // an absolute URI keeps the path as generated ("//api//state" is not a host name here)
        using var request = new HttpRequestMessage(new HttpMethod(r.Method), new Uri(d.Address.GetLeftPart(UriPartial.Authority) + r.Path));
        if (r.Body is not null)
        {
            request.Content = new ByteArrayContent(r.Body);
            request.Content.Headers.ContentType = null;
            if (r.ContentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", r.ContentType);
            }
        }

        foreach (var (name, value) in r.Headers)
        {
            if (name == "Host")
            {
                request.Headers.Host = value;
            }
            else
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        var status = (int)response.StatusCode;
        if (status >= 500)
        {
            Assert.Fail($"{status} for {r}: {await BodyAsync(response, timeout.Token)}");
        }

        var type = response.Content.Headers.ContentType?.MediaType ?? "";
        if (type == "text/event-stream")
        {
            // the event stream never ends: its first update must be finite
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
            while (await reader.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    FiniteJson.AssertState(JsonDocument.Parse(line[6..]).RootElement);
                    break;
                }
            }
        }
        else if (type.Contains("json", StringComparison.Ordinal))
        {
            var text = await BodyAsync(response, timeout.Token);
            if (text.Length > 0)
            {
                using var doc = JsonDocument.Parse(text);
                var problems = FiniteJson.Problems(doc.RootElement).ToList();
                Assert.True(problems.Count == 0, $"{r}: {string.Join("; ", problems)}");
            }
        }

        return status;
    }

    private static async Task<string> BodyAsync(HttpResponseMessage response, CancellationToken token)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync(token);
        return Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, 256 * 1024));
    }
}

/// <summary>One generated request (its <see cref="ToString"/> is what FsCheck prints for a failing case).</summary>
public sealed record ApiRequest(string Method, string Path, string? ContentType, byte[]? Body, (string Name, string Value)[] Headers)
{
    public override string ToString()
    {
        var body = Body is null ? "no body" : Body.Length > 200 ? $"{Body.Length} bytes" : $"'{Encoding.UTF8.GetString(Body)}'";
        return $"{Method} {Path} [{ContentType ?? "no type"}] {body} {string.Join(" ", Headers.Select(h => $"{h.Name}: {h.Value}"))}";
    }
}

/// <summary>Generators of hostile requests for the operator API.</summary>
internal static class ApiRequests
{
    private static readonly string[] Endpoints =
    [
        "/api/state", "/api/events", "/api/mood/force", "/api/mood/release", "/api/mood/mode", "/api/mood/correct",
        "/api/output/blackout", "/api/output/master", "/api/scenes/happy", "/api/scenes/tense", "/api/scenes/sad",
        "/api/scenes/calm", "/api/scenes/undo", "/", "/index.html", "/app.js", "/openapi/v1.json",
    ];

    private static readonly string[] Junk =
    [
        "", "..", "%00", "%2e%2e%2f", "Q1", "q5", "silence", "HAPPY", "x?y=1", "%ff%fe", "a/b/c", "😀", new string('a', 3000),
        "NaN", "-1", "1e309", "%", "?", "#frag",
    ];

    private static readonly string?[] ContentTypes =
    [
        null, "application/json", "application/json; charset=utf-8", "application/problem+json", "application/x+json",
        "text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
        "application/json; charset=latin1", "*/*", "garbage", "application/json;;;", "",
    ];

    /// <summary>Numbers a client might send: edges, huge, tiny, negative zero, and text that overflows a double.</summary>
    private static readonly string[] Numbers =
    [
        "0", "-0", "1", "0.5", "-1", "2", "1e308", "-1e308", "1.7976931348623157e309", "1e-320", "86400", "86401",
        "0.0000001", "123456789012345678901234567890", "1e999", "-1e999", "3e38", "NaN", "\"NaN\"", "Infinity", "null",
        "\"0.5\"", "true", "[]", "{}",
    ];

    private static readonly string[] Words =
    [
        "\"happy\"", "\"sad\"", "\"calm\"", "\"tense\"", "\"Q2\"", "\"silence\"", "\"auto\"", "\"manual\"", "\"\"",
        "\"\\u0000\"", "null", "1", "true", "\"" + new string('z', 500) + "\"",
    ];

    /// <summary>Half aimed (the right method, path and type, a body of the right shape with hostile values), half scattered.</summary>
    public static Gen<ApiRequest> Any(int port, string scene) => Gen.Frequency((1, Aimed(scene)), (1, Scattered(port, scene)));

    private static Gen<ApiRequest> Aimed(string scene)
    {
        static Gen<ApiRequest> Post(string path, Gen<string> body) =>
            body.Select(b => new ApiRequest("POST", path, "application/json", Encoding.UTF8.GetBytes(b), []));
        var moods = Gen.Elements("happy", "tense", "sad", "calm", "Q1", "silence", "undo", "HAPPY", "%20");
        return Gen.OneOf(
            Post("/api/output/master", Gen.Elements(Numbers).Select(n => $"{{\"level\":{n}}}")),
            Post("/api/output/blackout", Gen.Elements([.. Numbers, "false"]).Select(v => $"{{\"on\":{v}}}")),
            Post("/api/mood/force", from m in Gen.Elements(Words) from n in Gen.Elements(Numbers) select $"{{\"mood\":{m},\"seconds\":{n}}}"),
            Post("/api/mood/release", Gen.Elements("", "{}", "null", "[]", "{\"x\":1}")),
            Post("/api/mood/mode", Gen.Elements(Words).Select(w => $"{{\"mode\":{w}}}")),
            Post("/api/mood/correct", from a in Gen.Elements(Numbers) from b in Gen.Elements(Numbers) from m in Gen.Elements(Words)
                                      select $"{{\"start_s\":{a},\"end_s\":{b},\"mood\":{m}}}"),
            Post("/api/scenes/undo", Gen.Elements("", "{}")),
            from mood in moods
            from body in MutatedScene(scene)
            select new ApiRequest("PUT", "/api/scenes/" + mood, "application/json", Encoding.UTF8.GetBytes(body), []),
            from path in Gen.Elements("/api/state", "/api/events", "/api/scenes/happy", "/api/scenes/nope", "/openapi/v1.json")
            select new ApiRequest("GET", path, null, null, []));
    }

    private static Gen<ApiRequest> Scattered(int port, string scene) =>
        from method in Gen.Frequency(
            (4, Gen.Constant("POST")), (3, Gen.Constant("GET")), (2, Gen.Constant("PUT")),
            (1, Gen.Elements("DELETE", "PATCH", "HEAD", "OPTIONS", "FUZZ", "PROPFIND")))
        from path in Path()
        from type in Gen.Frequency((3, Gen.Constant<string?>("application/json")), (1, Gen.Elements(ContentTypes)))
        from body in Body(scene)
        from headers in Headers(port)
        select new ApiRequest(method, path, type, body, headers);

    private static Gen<string> Path() => Gen.Frequency(
        (6, Gen.Elements(Endpoints)),
        (2, from e in Gen.Elements(Endpoints) from j in Gen.Elements(Junk) select e + "/" + j),
        (2, from j in Gen.Elements(Junk) select "/api/scenes/" + j),
        (1, from j in Gen.Elements(Junk) from k in Gen.Elements(Junk) select $"/api/{j}/{k}"),
        (1, from e in Gen.Elements(Endpoints) from q in Gen.Elements(Junk) select $"{e}?{q}={q}"),
        (1, Gen.Elements("//api//state", "/api/./state", "/API/STATE", "/api/state/", "/api", "/api/")));

    private static Gen<byte[]?> Body(string scene) => Gen.Frequency(
        (5, Command().Select(Utf8)),
        (3, MutatedScene(scene).Select(Utf8)),
        (2, RandomJson(4).Select(Utf8)),
        (1, Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b)).Select(b => (byte[]?)b)),
        (1, Gen.Elements("", "{", "}", "{\"mood\":", "[", "\"", "{\"level\":0.5,\"level\":0.7}", "{\"level\":0.5}garbage").Select(Utf8)),
        (1, Gen.Elements(70 * 1024, 65 * 1024, 64 * 1024).Select(n => (byte[]?)Encoding.UTF8.GetBytes("{\"level\":0.5,\"x\":\"" + new string('a', n) + "\"}"))),
        (1, Gen.Choose(40, 600).Select(depth => Utf8(new string('[', depth) + new string(']', depth)))),
        (1, Gen.Constant<byte[]?>(null)));

    /// <summary>Well-formed commands for each endpoint, with hostile values.</summary>
    private static Gen<string> Command() => Gen.OneOf(
        from n in Gen.Elements(Numbers) select $"{{\"level\":{n}}}",
        from v in Gen.Elements([.. Numbers, "false"]) select $"{{\"on\":{v}}}",
        from m in Gen.Elements(Words) from s in Gen.Elements(Numbers) select $"{{\"mood\":{m},\"seconds\":{s}}}",
        from m in Gen.Elements(Words) select $"{{\"mood\":{m}}}",
        from m in Gen.Elements(Words) select $"{{\"mode\":{m}}}",
        from a in Gen.Elements(Numbers) from b in Gen.Elements(Numbers) from m in Gen.Elements(Words)
        select $"{{\"start_s\":{a},\"end_s\":{b},\"mood\":{m}}}",
        from m in Gen.Elements(Words) select $"{{\"mood\":{m},\"extra\":1}}");

    /// <summary>The live look of a mood with one value, somewhere in it, replaced by a hostile one.</summary>
    private static Gen<string> MutatedScene(string scene)
    {
        var root = System.Text.Json.Nodes.JsonNode.Parse(scene)!;
        var paths = new List<string>();
        Collect(root, "", paths);
        return from path in Gen.Elements(paths.ToArray())
               from value in Gen.Frequency((3, Gen.Elements(Numbers)), (2, Gen.Elements(Words)), (1, RandomJson(2)))
               select Replace(scene, path, value);
    }

    private static void Collect(System.Text.Json.Nodes.JsonNode? node, string path, List<string> paths)
    {
        paths.Add(path);
        switch (node)
        {
            case System.Text.Json.Nodes.JsonObject o:
                foreach (var (k, v) in o)
                {
                    Collect(v, $"{path}/{k}", paths);
                }

                break;
            case System.Text.Json.Nodes.JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    Collect(a[i], $"{path}/{i}", paths);
                }

                break;
        }
    }

    private static string Replace(string scene, string path, string value)
    {
        if (path.Length == 0)
        {
            return value;
        }

        var root = System.Text.Json.Nodes.JsonNode.Parse(scene)!;
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var parent = root;
        foreach (var p in parts[..^1])
        {
            parent = parent is System.Text.Json.Nodes.JsonArray a ? a[int.Parse(p, CultureInfo.InvariantCulture)]! : parent[p]!;
        }

        // a placeholder keeps the replacement verbatim (it may be text no JSON writer would produce, like 1e999)
        const string Mark = "\"@@fuzz@@\"";
        if (parent is System.Text.Json.Nodes.JsonArray array)
        {
            array[int.Parse(parts[^1], CultureInfo.InvariantCulture)] = "@@fuzz@@";
        }
        else
        {
            parent[parts[^1]] = "@@fuzz@@";
        }

        return root.ToJsonString().Replace(Mark, value, StringComparison.Ordinal);
    }

    private static Gen<string> RandomJson(int depth) => depth == 0
        ? Gen.Elements([.. Numbers, .. Words])
        : Gen.Frequency(
            (3, Gen.Elements([.. Numbers, .. Words])),
            (1, Gen.ListOf(RandomJson(depth - 1)).Select(items => "[" + string.Join(",", items.Take(6)) + "]")),
            (1, from keys in Gen.ListOf(Gen.Elements("level", "on", "mood", "seconds", "mode", "start_s", "end_s", "intensity", "palette", "x"))
                from values in Gen.ListOf(RandomJson(depth - 1))
                select "{" + string.Join(",", keys.Zip(values).Take(6).Select(kv => $"\"{kv.First}\":{kv.Second}")) + "}"));

    private static Gen<(string, string)[]> Headers(int port) => Gen.Frequency(
        (2, Gen.Constant(Array.Empty<(string, string)>())),
        (1, AnyHeaders(port)));

    private static Gen<(string, string)[]> AnyHeaders(int port) =>
        Gen.ListOf(Gen.OneOf(
            Gen.Elements($"http://127.0.0.1:{port}", "http://evil.example", "null", "file://", "http://127.0.0.1", "garbage").Select(v => ("Origin", v)),
            Gen.Elements("same-origin", "cross-site", "same-site", "none", "", "??").Select(v => ("Sec-Fetch-Site", v)),
            Gen.Elements($"127.0.0.1:{port}", $"localhost:{port}", $"evil.example:{port}", "[::1]", "127.0.0.1", "evil.example").Select(v => ("Host", v)),
            Gen.Elements("Bearer x", "Bearer ", "Basic Zm9vOmJhcg==", "").Select(v => ("Authorization", v)),
            Gen.Elements("text/event-stream", "application/json", "*/*", "image/png").Select(v => ("Accept", v))))
        .Select(list => list.Take(4).GroupBy(h => h.Item1).Select(g => g.First()).ToArray());

    private static byte[]? Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
