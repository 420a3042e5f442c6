using System.Text.Json;
using System.Text.Json.Nodes;
using Mudbase.Data;
using Mudbase.Tests.Support;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.Server;
using static Mudbase.Tests.Support.DataFixture;

namespace Mudbase.Tests.Contract;

/// <summary>What each document call puts on the wire (verb, path, query, headers, exact body) and how each answer shape reads.</summary>
public sealed class DataContractTests : IDisposable
{
    private readonly WireMockServer _server = Wire.StartServer();

    public DataContractTests() => AnswerEveryCall(_server);

    public void Dispose() => _server.Dispose();

    /// <summary>A list answers with one card, every other call with an envelope around it.</summary>
    internal static void AnswerEveryCall(WireMockServer server)
    {
        void On(IRequestBuilder request, string body, int status = 200) =>
            server.Given(request).AtPriority(100).RespondWith(Wire.Json(status, body));

        On(Request.Create().WithPath(ListPath).UsingGet(), ListJson([CardJson()], """{"page":1,"limit":20,"total":1,"totalPages":1,"hasMore":false}"""));
        On(Request.Create().WithPath(ListPath).UsingPost(), Envelope(CardJson(), "Data created successfully"), 201);
        On(Request.Create().WithPath(DocumentPath).UsingGet(), Envelope(CardJson()));
        On(Request.Create().WithPath(DocumentPath).UsingPatch(), Envelope(CardJson(), "Data updated successfully"));
        On(Request.Create().WithPath(DocumentPath).UsingDelete(), """{"message":"Data deleted successfully"}""");
    }

    /// <summary>The five calls by name, each as the caller makes it.</summary>
    internal static readonly Dictionary<string, Func<DocumentCollection<Card>, Task>> Calls = new()
    {
        ["list"] = c => c.GetPageAsync(cancellationToken: Wire.Ct),
        ["get"] = c => c.GetAsync(DocumentId, Wire.Ct),
        ["create"] = c => c.CreateAsync(new Card { Title = "Write docs", Priority = 2 }, Wire.Ct),
        ["update"] = c => c.UpdateAsync(DocumentId, new JsonObject { ["done"] = true }, Wire.Ct),
        ["delete"] = c => c.DeleteAsync(DocumentId, Wire.Ct),
    };

    public static TheoryData<string, string, string> CallWire => new()
    {
        { "list", "GET", ListPath },
        { "get", "GET", DocumentPath },
        { "create", "POST", ListPath },
        { "update", "PATCH", DocumentPath },
        { "delete", "DELETE", DocumentPath },
    };

    public static TheoryData<string> CallNames => [.. Calls.Keys];

    private IRequestMessage SingleDataRequest() => Assert.Single(_server.DataRequests());

    // ---- the wire of every call ----

    [Theory]
    [MemberData(nameof(CallWire))]
    public async Task Each_call_goes_to_its_verb_and_path_asking_for_json(string call, string verb, string path)
    {
        using var client = _server.Client();

        await Calls[call](client.Cards());

        var sent = SingleDataRequest();
        Assert.Equal(verb, sent.Method);
        Assert.Equal(path, sent.Path);
        Assert.Equal("application/json", sent.Header("Accept"));
        if (verb is "POST" or "PATCH")
        {
            Assert.Equal("application/json; charset=utf-8", sent.Header("Content-Type"));
        }
        else
        {
            Assert.Null(sent.Header("Content-Type"));
            Assert.True(string.IsNullOrEmpty(sent.Body), $"{verb} carried a body: {sent.Body}");
        }

        if (call != "list")
        {
            Assert.Equal("", RawQueryOf(sent));
        }
    }

    [Theory]
    [MemberData(nameof(CallNames))]
    public async Task Signed_in_every_call_carries_the_bearer_token(string call)
    {
        using var client = await _server.SignedInClientAsync();

        await Calls[call](client.Cards());

        var sent = SingleDataRequest();
        Assert.Equal("Bearer " + Bodies.AccessToken, sent.Header("Authorization"));
        Assert.Null(sent.Header("X-API-Key"));
    }

    [Theory]
    [MemberData(nameof(CallNames))]
    public async Task With_only_an_api_key_every_call_carries_the_key_and_no_authorization(string call)
    {
        using var client = _server.Client(o => o.ApiKey = "ak_data_key");

        await Calls[call](client.Cards());

        var sent = SingleDataRequest();
        Assert.Equal("ak_data_key", sent.Header("X-API-Key"));
        Assert.Null(sent.Header("Authorization"));
    }

    [Theory]
    [MemberData(nameof(CallNames))]
    public async Task With_neither_every_call_goes_without_credentials(string call)
    {
        using var client = _server.Client();

        await Calls[call](client.Cards());

        var sent = SingleDataRequest();
        Assert.Null(sent.Header("Authorization"));
        Assert.Null(sent.Header("X-API-Key"));
    }

    [Fact]
    public async Task A_plain_list_sends_page_and_limit_only()
    {
        using var client = _server.Client();

        await client.Cards().GetPageAsync(cancellationToken: Wire.Ct);

        var sent = SingleDataRequest();
        Assert.Equal("page=1&limit=20", RawQueryOf(sent));
    }

    [Fact]
    public async Task A_full_query_sends_page_limit_sort_filter_and_fields_in_that_order_encoded()
    {
        using var client = _server.Client();
        var query = client.Cards()
            .Where(Filter.Eq("status", "open") & Filter.Gt("priority", 2))
            .OrderByDescending("createdAt").ThenBy("title")
            .Select("title", "priority")
            .PageSize(50);

        await query.GetPageAsync(3, Wire.Ct);

        var sent = SingleDataRequest();
        Assert.Equal(
            "page=3&limit=50&sort=-createdAt%2Ctitle&filter=%7B%22status%22%3A%22open%22%2C%22priority%22%3A%7B%22%24gt%22%3A2%7D%7D&fields=title%2Cpriority",
            RawQueryOf(sent));
        Assert.Equal(
            [("page", "3"), ("limit", "50"), ("sort", "-createdAt,title"), ("filter", """{"status":"open","priority":{"$gt":2}}"""), ("fields", "title,priority")],
            sent.QueryPairs());
    }

    [Fact]
    public async Task A_filter_value_with_query_syntax_in_it_arrives_intact()
    {
        using var client = _server.Client();
        var filter = Filter.Eq("title", "a+b & c=d #1 100% ünï/?");

        await client.Cards().Where(filter).GetPageAsync(cancellationToken: Wire.Ct);

        var sent = SingleDataRequest();
        var raw = RawQueryOf(sent);
        Assert.DoesNotContain('+', raw);
        Assert.DoesNotContain(' ', raw);
        Assert.DoesNotContain('#', raw);
        Assert.Equal(3, raw.Split('&').Length);
        Assert.Equal(filter.ToString(), sent.QueryPairs().Single(p => p.Name == "filter").Value);
        Assert.Equal("a+b & c=d #1 100% ünï/?", JsonNode.Parse(filter.ToString())!["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_empty_filter_is_not_sent()
    {
        using var client = _server.Client();

        await client.Cards().Where(Filter.Empty).OrderBy("title").GetPageAsync(cancellationToken: Wire.Ct);

        Assert.Equal("page=1&limit=20&sort=title", RawQueryOf(SingleDataRequest()));
    }

    [Fact]
    public async Task A_typed_predicate_is_sent_as_the_filter_it_translates_to_under_json_names()
    {
        using var client = _server.Client();
        var query = client.Cards().Where(c => c.Priority > 1 && !c.Done);

        await query.GetPageAsync(cancellationToken: Wire.Ct);

        var filter = SingleDataRequest().QueryPairs().Single(p => p.Name == "filter").Value;
        Assert.Equal(query.Filter!.ToString(), filter);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"priority":{"$gt":1},"done":false}"""), JsonNode.Parse(filter)), filter);
    }

    [Fact]
    public async Task Ids_in_the_path_are_escaped_as_one_segment_each()
    {
        // WireMock shows the path decoded: the request line is read off the socket instead.
        await using var raw = new RawTcpServer(RawBehaviour.CloseWithoutAnswer);
        using var client = Wire.Client(raw.Url, new SocketsHttpHandler(), TimeProvider.System, o => o.Retry.MaxRetries = 0);

        await Errors.ExpectAsync<MudbaseTransportException>(
            () => client.Data.Collection("my cards/2026", CardJsonContext.Default.Card).DeleteAsync("a/b c?d#e%f", Wire.Ct));

        var requestLine = raw.Requests[0].Split("\r\n")[0];
        Assert.Equal($"DELETE /api/data/projects/{Wire.ProjectId}/collections/my%20cards%2F2026/data/a%2Fb%20c%3Fd%23e%25f HTTP/1.1", requestLine);
    }

    [Fact]
    public async Task A_typed_create_posts_the_flat_json_of_the_record()
    {
        using var client = _server.Client();

        await client.Cards().CreateAsync(new Card { Title = "Write docs", Priority = 2, DueAt = new DateTimeOffset(2026, 12, 1, 9, 30, 0, TimeSpan.Zero) }, Wire.Ct);

        Assert.Equal("""{"title":"Write docs","priority":2,"done":false,"dueAt":"2026-12-01T09:30:00+00:00"}""", SingleDataRequest().Body);
    }

    [Fact]
    public async Task A_typed_create_sends_its_id_under__id_and_its_extension_data_flat()
    {
        using var client = _server.Client();
        var card = new Card
        {
            Id = DocumentId,
            Title = "x",
            Extra = new() { ["color"] = JsonSerializer.SerializeToElement("red", CardJsonContext.Default.String) },
        };

        await client.Cards().CreateAsync(card, Wire.Ct);

        Assert.Equal($$"""{"_id":"{{DocumentId}}","title":"x","priority":0,"done":false,"color":"red"}""", SingleDataRequest().Body);
    }

    [Fact]
    public async Task An_untyped_create_posts_exactly_its_fields()
    {
        using var client = _server.Client();
        var document = new MudbaseDocument
        {
            ["title"] = "Write docs",
            ["tags"] = new JsonArray("a", "b"),
            ["meta"] = new JsonObject { ["n"] = 1.5 },
            ["dueAt"] = null,
        };

        await client.Documents().CreateAsync(document, Wire.Ct);

        Assert.Equal("""{"title":"Write docs","tags":["a","b"],"meta":{"n":1.5},"dueAt":null}""", SingleDataRequest().Body);
    }

    [Fact]
    public async Task An_update_patches_exactly_the_given_fields_and_a_null_clears()
    {
        using var client = _server.Client();

        await client.Cards().UpdateAsync(DocumentId, new JsonObject { ["done"] = true, ["dueAt"] = null, ["labels"] = new JsonArray() }, Wire.Ct);

        var sent = SingleDataRequest();
        Assert.Equal("PATCH", sent.Method);
        Assert.Equal("""{"done":true,"dueAt":null,"labels":[]}""", sent.Body);
    }

    [Fact]
    public async Task A_delete_answered_204_without_a_body_succeeds()
    {
        _server.Given(Request.Create().WithPath(DocumentPath).UsingDelete()).AtPriority(1)
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(204));
        using var client = _server.Client();

        await client.Cards().DeleteAsync(DocumentId, Wire.Ct);

        Assert.Equal("DELETE", SingleDataRequest().Method);
    }

    // ---- answer shapes ----

    private void AnswerList(string body) =>
        _server.Given(Request.Create().WithPath(ListPath).UsingGet()).AtPriority(1).RespondWith(Wire.Json(200, body));

    private void AnswerGet(string body) =>
        _server.Given(Request.Create().WithPath(DocumentPath).UsingGet()).AtPriority(1).RespondWith(Wire.Json(200, body));

    [Fact]
    public async Task A_list_answer_gives_the_documents_and_every_paging_fact()
    {
        AnswerList(ListJson([CardJson(IdOf(2, 0), "first", 3), CardJson(IdOf(2, 1), "second", 1)],
            """{"page":2,"limit":2,"total":7,"totalPages":4,"hasMore":true}"""));
        using var client = _server.Client();

        var page = await client.Cards().PageSize(2).GetPageAsync(2, Wire.Ct);

        Assert.Equal([IdOf(2, 0), IdOf(2, 1)], page.Items.Select(c => c.Id));
        Assert.Equal(["first", "second"], page.Items.Select(c => c.Title));
        Assert.Equal([3, 1], page.Items.Select(c => c.Priority));
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero), page.Items[0].CreatedAt);
        Assert.Equal((2, 2, 7L, 4, true), (page.Page, page.PageSize, page.Total, page.TotalPages, page.HasMore));
    }

    [Fact]
    public async Task A_list_answer_with_pages_instead_of_totalPages_reads_it()
    {
        AnswerList(ListJson([CardJson()], """{"page":1,"limit":20,"total":41,"pages":3}"""));
        using var client = _server.Client();

        var page = await client.Cards().GetPageAsync(cancellationToken: Wire.Ct);

        Assert.Equal(3, page.TotalPages);
        Assert.Equal(41, page.Total);
        Assert.True(page.HasMore);
    }

    [Theory]
    [InlineData(1, 3, true)]
    [InlineData(2, 3, true)]
    [InlineData(3, 3, false)]
    [InlineData(1, 1, false)]
    [InlineData(1, 0, false)]
    public async Task Without_hasMore_there_is_more_while_page_is_below_totalPages(int pageNumber, int totalPages, bool hasMore)
    {
        AnswerList(ListJson(totalPages == 0 ? [] : [CardJson()], $$"""{"page":{{pageNumber}},"limit":20,"total":{{totalPages * 20}},"totalPages":{{totalPages}}}"""));
        using var client = _server.Client();

        var page = await client.Cards().GetPageAsync(pageNumber, Wire.Ct);

        Assert.Equal(hasMore, page.HasMore);
        Assert.Equal(totalPages, page.TotalPages);
    }

    [Fact]
    public async Task The_servers_hasMore_wins_over_the_page_count()
    {
        AnswerList(ListJson([CardJson()], """{"page":1,"limit":20,"total":60,"totalPages":3,"hasMore":false}"""));
        using var client = _server.Client();

        var page = await client.Cards().GetPageAsync(cancellationToken: Wire.Ct);

        Assert.False(page.HasMore);
    }

    [Fact]
    public async Task A_list_answer_without_pagination_is_everything_there_is()
    {
        AnswerList(ListJson([CardJson(IdOf(1, 0)), CardJson(IdOf(1, 1))], null));
        using var client = _server.Client();

        var page = await client.Cards().GetPageAsync(cancellationToken: Wire.Ct);

        Assert.Equal([IdOf(1, 0), IdOf(1, 1)], page.Items.Select(c => c.Id));
        Assert.False(page.HasMore);
        Assert.Equal((1, 20, 2L, 1), (page.Page, page.PageSize, page.Total, page.TotalPages));
    }

    [Fact]
    public async Task A_list_answers_other_members_are_passed_over_even_when_the_callers_options_refuse_unknown_members()
    {
        AnswerList("""{"success":true,"data":[{"_id":"a","title":"x"},{"_id":"b","title":"y"}],"pagination":{"page":1,"limit":20,"total":2,"totalPages":1,"extra":{"k":[1]}},"meta":{"took":3}}""");
        using var client = _server.Client();

        var page = await client.Data.Collection(CollectionId, StrictNoteContext.Default.StrictNote).GetPageAsync(cancellationToken: Wire.Ct);

        Assert.Equal([("a", "x"), ("b", "y")], page.Items.Select(note => (note.Id, note.Title)));
        Assert.Equal((1, 2L, 1, false), (page.Page, page.Total, page.TotalPages, page.HasMore));
    }

    [Theory]
    [InlineData("""{"message":"Data retrieved successfully","data":{"_id":"a","title":"x"},"success":true}""")]
    [InlineData("""{"_id":"a","title":"x"}""")]
    public async Task A_get_answers_other_members_are_passed_over_even_when_the_callers_options_refuse_unknown_members(string body)
    {
        AnswerGet(body);
        using var client = _server.Client();

        var note = await client.Data.Collection(CollectionId, StrictNoteContext.Default.StrictNote).GetAsync(DocumentId, Wire.Ct);

        Assert.Equal(("a", "x"), (note.Id, note.Title));
    }

    [Theory]
    [InlineData("""{"data":null}""")]
    [InlineData("""{"data":{"_id":"a"}}""")]
    [InlineData("""{"pagination":{"page":1}}""")]
    [InlineData("""{"data":[{"_id":"a"},null]}""")]
    [InlineData("""[{"_id":"a"}]""")]
    [InlineData("null")]
    [InlineData("""{"data":[{"_id":"a","x":1,"x":2}]}""")]
    public async Task An_untyped_list_answer_without_an_array_of_documents_is_a_MudbaseException(string body)
    {
        AnswerList(body);
        using var client = _server.Client();

        var ex = await Assert.ThrowsAnyAsync<MudbaseException>(() => client.Documents().GetPageAsync(cancellationToken: Wire.Ct));

        Assert.Equal(System.Net.HttpStatusCode.OK, ex.StatusCode);
        Assert.IsType<JsonException>(ex.InnerException, exactMatch: false);
    }

    public static TheoryData<string, string> DocumentShapes => new()
    {
        { "{data:doc}", Envelope(CardJson()) },
        { "{message,data}", Envelope(CardJson(), "Data retrieved successfully") },
        { "bare doc with _id", CardJson() },
        { "bare doc with id", CardJson().Replace("\"_id\"", "\"id\"", StringComparison.Ordinal) },
        { "{data, message} in that order", $$"""{"data":{{CardJson()}},"message":"ok"}""" },
    };

    [Theory]
    [MemberData(nameof(DocumentShapes))]
    public async Task A_get_reads_every_accepted_shape_as_the_document(string shape, string body)
    {
        AnswerGet(body);
        using var client = _server.Client();

        var document = await client.Documents().GetAsync(DocumentId, Wire.Ct);

        Assert.Equal(DocumentId, document.Id);
        Assert.Equal("Write docs", document["title"]!.GetValue<string>());
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero), document.CreatedAt);
        Assert.False(document.Fields.ContainsKey("message"), shape);
        Assert.False(document.Fields.ContainsKey("data"), shape);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_get_reads_a_typed_document_in_or_out_of_its_envelope(bool enveloped)
    {
        AnswerGet(enveloped ? Envelope(CardJson()) : CardJson());
        using var client = _server.Client();

        var card = await client.Cards().GetAsync(DocumentId, Wire.Ct);

        Assert.Equal((DocumentId, "Write docs", 2, false), (card.Id, card.Title, card.Priority, card.Done));
    }

    [Theory]
    [InlineData("""{"_id":"ID","title":"t","data":{"temperature":21}}""", """{"temperature":21}""")]
    [InlineData("""{"data":{"temperature":21},"title":"t","_id":"ID"}""", """{"temperature":21}""")]
    [InlineData("""{"data":null,"title":"t","id":"ID"}""", "null")]
    [InlineData("""{"data":[1],"title":"t","_id":"ID"}""", "[1]")]
    public async Task A_bare_document_with_its_own_data_field_is_the_document_not_an_envelope(string body, string data)
    {
        AnswerGet(body.Replace("ID", DocumentId, StringComparison.Ordinal));
        using var client = _server.Client();

        var document = await client.Documents().GetAsync(DocumentId, Wire.Ct);

        Assert.Equal(DocumentId, document.Id);
        Assert.Equal("t", (string?)document["title"]);
        Assert.Equal(data, document["data"]?.ToJsonString() ?? "null");
    }

    [Fact]
    public async Task A_create_answered_201_with_message_and_data_returns_the_stored_document()
    {
        using var client = _server.Client();

        var stored = await client.Cards().CreateAsync(new Card { Title = "Write docs", Priority = 2 }, Wire.Ct);

        Assert.Equal(DocumentId, stored.Id);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero), stored.CreatedAt);
    }

    [Fact]
    public async Task Unknown_fields_of_a_typed_document_land_in_its_extension_data_and_go_back_flat()
    {
        using var client = _server.Client();

        var card = await client.Cards().GetAsync(DocumentId, Wire.Ct);
        await client.Cards().CreateAsync(card with { Id = null, Title = "copy" }, Wire.Ct);

        Assert.NotNull(card.Extra);
        Assert.Equal(["__v", "boardId", "labels", "updatedAt"], card.Extra.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("685ad30be129932fbb7a4001", card.Extra["boardId"].GetString());
        var posted = JsonNode.Parse(_server.DataRequests()[1].Body!)!.AsObject();
        Assert.Equal("copy", posted["title"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""["docs","p2"]"""), posted["labels"]));
        Assert.Equal("685ad30be129932fbb7a4001", posted["boardId"]!.GetValue<string>());
        Assert.Equal(0, posted["__v"]!.GetValue<int>());
        Assert.False(posted.ContainsKey("_id"));
    }

    [Fact]
    public async Task Unknown_fields_of_an_untyped_document_survive_get_update_get()
    {
        var stored = CardJson();
        var updated = stored.Replace("\"Write docs\"", "\"Ship docs\"", StringComparison.Ordinal);
        var answers = new AnswerSequence([
            () => Wire.Message(200, Envelope(stored)),
            () => Wire.Message(200, Envelope(updated, "Data updated successfully")),
            () => Wire.Message(200, Envelope(updated)),
        ]);
        _server.Given(Request.Create().WithPath(DocumentPath)).AtPriority(1).RespondWith(WireMock.ResponseBuilders.Response.Create().WithCallback(answers.Next));
        using var client = _server.Client();
        var documents = client.Documents();

        var first = await documents.GetAsync(DocumentId, Wire.Ct);
        first["title"] = "Ship docs";
        var afterUpdate = await documents.UpdateAsync(first.Id!, first.Fields, Wire.Ct);
        var second = await documents.GetAsync(DocumentId, Wire.Ct);

        var patch = JsonNode.Parse(_server.DataRequests()[1].Body!)!.AsObject();
        Assert.Equal(["title", "priority", "done", "boardId", "labels", "__v"], patch.Select(p => p.Key));
        Assert.Equal("Ship docs", patch["title"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""["docs","p2"]"""), patch["labels"]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(updated), afterUpdate.ToJsonObject()));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(updated), second.ToJsonObject()));
    }

    // ---- immutable queries ----

    [Fact]
    public async Task A_query_reused_after_deriving_others_sends_its_own_query_string()
    {
        using var client = _server.Client();
        var open = client.Cards().Where(Filter.Eq("status", "open")).OrderBy("title");
        var narrower = open.Where(Filter.Gt("priority", 2)).OrderByDescending("createdAt").Select("title").PageSize(5);
        var longer = open.ThenByDescending("priority");

        await open.GetPageAsync(cancellationToken: Wire.Ct);
        await narrower.GetPageAsync(cancellationToken: Wire.Ct);
        await longer.GetPageAsync(cancellationToken: Wire.Ct);
        await open.GetPageAsync(cancellationToken: Wire.Ct);

        var sent = _server.DataRequests().Select(r => r.QueryPairs()).ToList();
        (string, string)[] openPairs = [("page", "1"), ("limit", "20"), ("sort", "title"), ("filter", """{"status":"open"}""")];
        Assert.Equal(openPairs, sent[0]);
        Assert.Equal([("page", "1"), ("limit", "5"), ("sort", "-createdAt"), ("filter", """{"status":"open","priority":{"$gt":2}}"""), ("fields", "title")], sent[1]);
        Assert.Equal([("page", "1"), ("limit", "20"), ("sort", "title,-priority"), ("filter", """{"status":"open"}""")], sent[2]);
        Assert.Equal(openPairs, sent[3]);
    }

    [Fact]
    public async Task Threads_deriving_from_one_query_do_not_interfere()
    {
        using var client = _server.Client();
        var root = client.Cards().Where(Filter.Eq("status", "open")).OrderBy("title");
        using var start = new Barrier(4);

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            start.SignalAndWait(Wire.Ct);
            var mismatches = 0;
            for (var i = 0; i < 500; i++)
            {
                var n = t * 1000 + i;
                var derived = root.Where(Filter.Eq("n", n)).ThenBy($"f{t}").PageSize(t + 1).Select($"s{t}");
                mismatches += derived.Filter!.ToString() == $$"""{"status":"open","n":{{n}}}""" && derived.Sort == $"title,f{t}" &&
                    derived.Limit == t + 1 && derived.Fields!.SequenceEqual([$"s{t}"]) ? 0 : 1;
            }

            return mismatches;
        }, Wire.Ct)));

        Assert.All(results, mismatches => Assert.Equal(0, mismatches));
        await root.GetPageAsync(cancellationToken: Wire.Ct);
        Assert.Equal([("page", "1"), ("limit", "20"), ("sort", "title"), ("filter", """{"status":"open"}""")], SingleDataRequest().QueryPairs());
    }
}

/// <summary>A document type whose context refuses members it does not declare.</summary>
public sealed record StrictNote
{
    [System.Text.Json.Serialization.JsonPropertyName("_id")]
    public string? Id { get; init; }

    public string Title { get; init; } = "";
}

[System.Text.Json.Serialization.JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
[System.Text.Json.Serialization.JsonSerializable(typeof(StrictNote))]
internal sealed partial class StrictNoteContext : System.Text.Json.Serialization.JsonSerializerContext;
