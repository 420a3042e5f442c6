using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Mudbase.Data;

namespace Mudbase.Benchmarks;

/// <summary>
/// `-- data [--rounds 41] [--block-ms 50]`: documents in memory (a canned handler), the SDK built through public API only
/// (<c>new MudbaseClient(options, handler)</c>), against the hand-written baseline (one HttpClient, the same
/// source-generated context, <c>GetFromJsonAsync</c>): a page of 100 documents of 15 fields, and one document, typed and
/// untyped. Then the bytes of building a query with three filters and a sort.
/// </summary>
public static class DataBench
{
    private static readonly Uri BaseUrl = new("http://127.0.0.1:8787/");
    private const string ListPath = "api/data/projects/" + Payloads.ProjectId + "/collections/items/data?page=1&limit=100";
    private const string GetPath = "api/data/projects/" + Payloads.ProjectId + "/collections/items/data/6650c2f1a1b2c3d4e5f60001";

    public static async Task<int> RunAsync(string[] args)
    {
        var rounds = args.SkipWhile(a => a != "--rounds").Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).FirstOrDefault(41);
        var blockMs = args.SkipWhile(a => a != "--block-ms").Skip(1).Select(a => double.Parse(a, CultureInfo.InvariantCulture)).FirstOrDefault(50);

        using var baseline = HandWritten.CreateHttpClient(new DataCannedHandler(), BaseUrl);
        using var sdk = new MudbaseClient(new MudbaseClientOptions { BaseUrl = BaseUrl, ProjectId = Payloads.ProjectId }, new DataCannedHandler(), disposeHandler: true);
        var typed = sdk.Data.Collection("items", BenchDataContext.Default.BenchDoc).PageSize(100);
        var untyped = sdk.Data.Collection("items").PageSize(100);
        var typedItems = sdk.Data.Collection("items", BenchDataContext.Default.BenchDoc);
        var untypedItems = sdk.Data.Collection("items");

        Console.WriteLine($"documents in memory, {rounds} rounds, blocks of about {blockMs} ms, {Environment.ProcessorCount} cores; list: {DataCannedHandler.List.Length} B, get: {DataCannedHandler.One.Length} B");
        Console.WriteLine();
        Interleaved.PrintHeader();
        // The ratios are to the typed hand-written read, for the untyped SDK rows too. Two more rows show what reading the
        // fields costs: an untyped document builds its Fields (a JsonObject) on first use, and the hand-written untyped
        // read is a JsonObject whose documents are materialized as they are walked.
        await Interleaved.MeasureAsync("list 100", [
            ("hand-written", () => baseline.GetFromJsonAsync(ListPath, BenchDataContext.Default.BenchListEnvelope)),
            ("SDK typed", () => typed.GetPageAsync()),
            ("SDK untyped", () => untyped.GetPageAsync()),
            ("SDK untyped, every Fields used", async () => TouchFields((await untyped.GetPageAsync()).Items)),
            ("hand-written JsonObject, every document used", async () => TouchDocuments(await baseline.GetFromJsonAsync(ListPath, BenchDataContext.Default.JsonObject))),
        ], rounds, blockMs);
        await Interleaved.MeasureAsync("get 1", [
            ("hand-written", () => baseline.GetFromJsonAsync(GetPath, BenchDataContext.Default.BenchGetEnvelope)),
            ("SDK typed", () => typedItems.GetAsync("6650c2f1a1b2c3d4e5f60001")),
            ("SDK untyped", () => untypedItems.GetAsync("6650c2f1a1b2c3d4e5f60001")),
            ("SDK untyped, Fields used", async () => TouchFields([await untypedItems.GetAsync("6650c2f1a1b2c3d4e5f60001")])),
            ("hand-written JsonObject, document used", async () => TouchDocuments(await baseline.GetFromJsonAsync(GetPath, BenchDataContext.Default.JsonObject))),
        ], rounds, blockMs);

        // Building a query: three filters and a sort, and its filter's JSON (what a call sends).
        var threshold = 3;
        for (var i = 0; i < 10_000; i++)
        {
            _ = Build(typedItems, threshold);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        DocumentQuery<BenchDoc>? query = null;
        const int builds = 10_000;
        for (var i = 0; i < builds; i++)
        {
            query = Build(typedItems, threshold);
        }

        var built = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)builds;
        before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < builds; i++)
        {
            _ = Build(typedItems, threshold).Filter!.ToString();
        }

        var rendered = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)builds;
        before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < builds; i++)
        {
            _ = typedItems.Where(d => d.Status == "open" && d.Priority > threshold && d.Done == false).OrderByDescending("priority");
        }

        var typedFilter = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)builds;
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"query with three filters and a sort: {built:F0} B to build, {rendered:F0} B with its filter's JSON; the same as a typed filter (expression tree made and read): {typedFilter:F0} B; {query!.Filter}"));
        return 0;
    }

    private static int TouchFields(IReadOnlyList<MudbaseDocument> documents)
    {
        var fields = 0;
        foreach (var document in documents)
        {
            fields += document.Fields.Count;
        }

        return fields;
    }

    /// <summary>Every document of a list answer (or the one of a get) as a JsonObject, each member looked at once.</summary>
    private static int TouchDocuments(JsonObject? answer)
    {
        var fields = 0;
        switch (answer!["data"])
        {
            case JsonArray documents:
                foreach (var document in documents)
                {
                    fields += document!.AsObject().Count;
                }

                break;
            case JsonObject document:
                fields += document.Count;
                break;
        }

        return fields;
    }

    /// <summary>`-- data-spin list|get baseline|typed|untyped SECONDS`: one contender in a loop, for a profiler.</summary>
    public static async Task<int> SpinAsync(string op, string contender, double seconds)
    {
        using var baseline = HandWritten.CreateHttpClient(new DataCannedHandler(), BaseUrl);
        using var sdk = new MudbaseClient(new MudbaseClientOptions { BaseUrl = BaseUrl, ProjectId = Payloads.ProjectId }, new DataCannedHandler(), disposeHandler: true);
        var typed = sdk.Data.Collection("items", BenchDataContext.Default.BenchDoc);
        var untyped = sdk.Data.Collection("items");
        Func<Task> call = (op, contender) switch
        {
            ("list", "baseline") => () => baseline.GetFromJsonAsync(ListPath, BenchDataContext.Default.BenchListEnvelope),
            ("list", "typed") => () => typed.PageSize(100).GetPageAsync(),
            ("list", "untyped") => () => untyped.PageSize(100).GetPageAsync(),
            ("get", "baseline") => () => baseline.GetFromJsonAsync(GetPath, BenchDataContext.Default.BenchGetEnvelope),
            ("get", "typed") => () => typed.GetAsync("6650c2f1a1b2c3d4e5f60001"),
            ("get", "untyped") => () => untyped.GetAsync("6650c2f1a1b2c3d4e5f60001"),
            _ => throw new ArgumentException($"unknown: {op} {contender}"),
        };

        var calls = 0L;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (watch.Elapsed.TotalSeconds < seconds)
        {
            await call();
            calls++;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{op} {contender}: {calls} calls, {watch.Elapsed.TotalMicroseconds / calls:F2} us each"));
        return 0;
    }

    private static DocumentQuery<BenchDoc> Build(DocumentCollection<BenchDoc> items, int threshold) =>
        items.Where(Filter.Eq("status", "open")).Where(Filter.Gt("priority", threshold)).Where(Filter.In("kind", "a", "b")).OrderByDescending("priority");
}

/// <summary>Answers the data calls like a server, in memory: a fresh response with fresh content each call.</summary>
public sealed class DataCannedHandler : HttpMessageHandler
{
    public static readonly byte[] List = Encoding.UTF8.GetBytes(
        "{\"data\":[" + string.Join(",", Enumerable.Range(1, 100).Select(Doc)) + "],\"pagination\":{\"page\":1,\"limit\":100,\"total\":250,\"totalPages\":3,\"hasMore\":true}}");

    public static readonly byte[] One = Encoding.UTF8.GetBytes("{\"message\":\"ok\",\"data\":" + Doc(1) + "}");

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.RequestUri!.AbsolutePath.EndsWith("/data", StringComparison.Ordinal) ? List : One;
        return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request, Content = new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } } });
    }

    /// <summary>A document of 15 fields (the id and timestamps among them), of the usual kinds.</summary>
    private static string Doc(int n) => string.Create(CultureInfo.InvariantCulture,
        $"{{\"_id\":\"6650c2f1a1b2c3d4e5f6{n:D4}\",\"title\":\"Item number {n}\",\"description\":\"A longer text that describes item {n} in a sentence or two.\",\"status\":\"open\",\"kind\":\"a\",\"priority\":{n % 5},\"done\":false,\"price\":{n * 1.25},\"quantity\":{n * 3},\"ownerId\":\"6650c2f1a1b2c3d4e5f6ffff\",\"tags\":[\"one\",\"two\"],\"place\":{{\"city\":\"Oslo\",\"floor\":{n % 7}}},\"dueAt\":\"2026-12-{1 + (n % 28):D2}T10:00:00.000Z\",\"createdAt\":\"2026-11-01T08:00:00.000Z\",\"updatedAt\":\"2026-11-02T09:30:00.000Z\"}}");
}

/// <summary>The document as an app would declare it.</summary>
public sealed class BenchDoc
{
    [JsonPropertyName("_id")]
    public string? Id { get; set; }

    public string? Title { get; set; }

    public string? Description { get; set; }

    public string? Status { get; set; }

    public string? Kind { get; set; }

    public int Priority { get; set; }

    public bool Done { get; set; }

    public decimal Price { get; set; }

    public int Quantity { get; set; }

    public string? OwnerId { get; set; }

    public List<string>? Tags { get; set; }

    public BenchPlace? Place { get; set; }

    public DateTimeOffset? DueAt { get; set; }

    public DateTimeOffset? CreatedAt { get; set; }

    public DateTimeOffset? UpdatedAt { get; set; }
}

public sealed class BenchPlace
{
    public string? City { get; set; }

    public int Floor { get; set; }
}

/// <summary>The baseline's envelopes: what a user writes by hand to read the data answers.</summary>
public sealed class BenchListEnvelope
{
    public List<BenchDoc>? Data { get; set; }

    public BenchPagination? Pagination { get; set; }
}

public sealed class BenchPagination
{
    public int Page { get; set; }

    public int Limit { get; set; }

    public long Total { get; set; }

    public int TotalPages { get; set; }

    public bool HasMore { get; set; }
}

public sealed class BenchGetEnvelope
{
    public string? Message { get; set; }

    public BenchDoc? Data { get; set; }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(BenchDoc))]
[JsonSerializable(typeof(BenchListEnvelope))]
[JsonSerializable(typeof(BenchGetEnvelope))]
[JsonSerializable(typeof(JsonObject))]
public sealed partial class BenchDataContext : JsonSerializerContext;
