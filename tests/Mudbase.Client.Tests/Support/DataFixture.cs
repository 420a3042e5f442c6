using System.Text.Json;
using System.Text.Json.Serialization;
using Mudbase.Data;
using WireMock;
using WireMock.Server;

namespace Mudbase.Tests.Support;

/// <summary>A document type of the caller's own, as the README shows it: the id mapped from <c>_id</c>, unknown fields kept.</summary>
public sealed record Card
{
    [JsonPropertyName("_id")]
    public string? Id { get; init; }

    public string Title { get; init; } = "";

    public int Priority { get; init; }

    public bool Done { get; init; }

    public DateTimeOffset? DueAt { get; init; }

    public DateTimeOffset? CreatedAt { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Card))]
internal sealed partial class CardJsonContext : JsonSerializerContext;

/// <summary>Paths, canned documents and clients for the data contract tests.</summary>
internal static class DataFixture
{
    public const string CollectionId = "685ad30be129932fbb7a2001";
    public const string DocumentId = "685ad30be129932fbb7a3001";

    public static readonly string ListPath = $"/api/data/projects/{Wire.ProjectId}/collections/{CollectionId}/data";
    public static readonly string DocumentPath = $"{ListPath}/{DocumentId}";

    /// <summary>A stored card as the server sends it, with a field the <see cref="Card"/> type does not know.</summary>
    public static string CardJson(string id = DocumentId, string title = "Write docs", int priority = 2) =>
        $$"""{"_id":"{{id}}","title":"{{title}}","priority":{{priority}},"done":false,"createdAt":"2026-11-20T10:00:00.000Z","updatedAt":"2026-11-20T10:00:00.000Z","boardId":"685ad30be129932fbb7a4001","labels":["docs","p2"],"__v":0}""";

    public static string Envelope(string document, string? message = null) =>
        message is null ? $$"""{"data":{{document}}}""" : $$"""{"message":"{{message}}","data":{{document}}}""";

    /// <summary>A list answer: the documents, then the pagination object as given (or none).</summary>
    public static string ListJson(IEnumerable<string> documents, string? pagination) =>
        pagination is null
            ? $$"""{"data":[{{string.Join(",", documents)}}]}"""
            : $$"""{"data":[{{string.Join(",", documents)}}],"pagination":{{pagination}}}""";

    /// <summary>Page <paramref name="page"/> of <paramref name="totalPages"/>, each holding <paramref name="perPage"/> cards numbered on.</summary>
    public static string CardPage(int page, int totalPages, int perPage = 2, bool sayHasMore = true)
    {
        var cards = Enumerable.Range(0, perPage).Select(i => CardJson(IdOf(page, i), $"card {page}.{i}"));
        var hasMore = sayHasMore ? $$""","hasMore":{{(page < totalPages ? "true" : "false")}}""" : "";
        return ListJson(cards, $$"""{"page":{{page}},"limit":{{perPage}},"total":{{totalPages * perPage}},"totalPages":{{totalPages}}{{hasMore}}}""");
    }

    /// <summary>A 24-hex id for card <paramref name="index"/> of page <paramref name="page"/>.</summary>
    public static string IdOf(int page, int index) => $"685ad30be129932fbb7a{page:x2}{index:x2}";

    public static DocumentCollection<Card> Cards(this MudbaseClient client) => client.Data.Collection(CollectionId, CardJsonContext.Default.Card);

    public static DocumentCollection<MudbaseDocument> Documents(this MudbaseClient client) => client.Data.Collection(CollectionId);

    /// <summary>A client signed in with a canned anonymous session (the token is <see cref="Bodies.AccessToken"/>).</summary>
    public static async Task<MudbaseClient> SignedInClientAsync(this WireMockServer server, string? session = null, Action<MudbaseClientOptions>? configure = null)
    {
        server.Answer(Wire.AnonymousPath, Wire.Json(200, session ?? Bodies.AnonymousSession()));
        var client = server.Client(configure);
        await client.Auth.CreateAnonymousAsync(cancellationToken: Wire.Ct);
        return client;
    }

    /// <summary>The requests to the data endpoints, in order (sign-ins and refreshes left out).</summary>
    public static IReadOnlyList<IRequestMessage> DataRequests(this WireMockServer server) =>
        server.Requests().Where(r => r.Path.StartsWith("/api/data/", StringComparison.Ordinal)).ToList();

    /// <summary>The query string as sent, split into its pairs in order, each value percent-decoded.</summary>
    public static IReadOnlyList<(string Name, string Value)> QueryPairs(this IRequestMessage request) =>
        RawQueryOf(request).Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .Select(parts => (Uri.UnescapeDataString(parts[0]), parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : ""))
            .ToList();

    /// <summary>The query string exactly as it crossed the wire, without its '?'.</summary>
    public static string RawQueryOf(IRequestMessage request) => (request.RawQuery ?? "").TrimStart('?');

    /// <summary>Whether the value is one of the request's query parameter names.</summary>
    public static bool HasQuery(this IRequestMessage request, string name) => request.QueryPairs().Any(p => p.Name == name);
}

/// <summary>
/// Sits at the bottom of the pipeline over real sockets: the first <c>drops</c> requests reach the server and are
/// processed there, but their answers are thrown away and the client sees the connection end (what a proxy that drops
/// the connection after forwarding looks like). Later requests pass through.
/// </summary>
internal sealed class LostAnswerHandler : DelegatingHandler
{
    private int _remaining;

    public LostAnswerHandler(int drops) : base(new SocketsHttpHandler()) => _remaining = drops;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (Interlocked.Decrement(ref _remaining) < 0)
        {
            return response;
        }

        response.Dispose();
        throw new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely.", new IOException("The connection was closed by the remote host."));
    }

    /// <summary>A client whose first <paramref name="drops"/> answers are lost on the way back.</summary>
    public static MudbaseClient Client(WireMockServer server, int drops) =>
        Wire.Client(server.BaseUrl(), new LostAnswerHandler(drops), TimeProvider.System);
}
