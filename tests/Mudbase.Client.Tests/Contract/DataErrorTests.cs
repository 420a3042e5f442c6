using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mudbase.Tests.Support;
using WireMock.ResponseBuilders;
using WireMock.Server;
using static Mudbase.Tests.Support.DataFixture;

namespace Mudbase.Tests.Contract;

/// <summary>What the caller sees when a document call's answer is not what it should be, or is one of the API's error bodies.</summary>
public sealed class DataErrorTests : IDisposable
{
    private const string RequestId = "req-data-7f3a";
    private readonly WireMockServer _server = Wire.StartServer();

    public void Dispose() => _server.Dispose();

    private void AnswerAll(int status, string body, string contentType = "application/json") =>
        _server.AnswerAll(Response.Create().WithStatusCode(status).WithHeader("Content-Type", contentType).WithHeader("x-request-id", RequestId).WithBody(body));

    // ---- strange answers to a success ----

    public static TheoryData<string, string, string, string> StrangeAnswers => new()
    {
        // call, what, content type, body
        { "get", "HTML", "text/html", "<html><body><h1>Welcome to nginx</h1></body></html>" },
        { "list", "HTML", "text/html", "<html><body><h1>Welcome to nginx</h1></body></html>" },
        { "create", "HTML", "text/html", "<html><body>OK</body></html>" },
        { "get", "truncated JSON", "application/json", $$"""{"data":{"_id":"{{DocumentId}}","title":"Wri""" },
        { "list", "truncated JSON", "application/json", $$"""{"data":[{"_id":"{{DocumentId}}"},""" },
        { "update", "truncated JSON", "application/json", """{"message":"Data updated successfully","data":{""" },
        { "list", "data not an array", "application/json", Envelope(CardJson()) },
        { "list", "data a string", "application/json", """{"data":"nope","pagination":{"page":1,"limit":20,"total":0,"totalPages":0}}""" },
        { "list", "no data at all", "application/json", """{"pagination":{"page":1,"limit":20,"total":0,"totalPages":0}}""" },
        { "list", "a null document in the list", "application/json", """{"data":[null],"pagination":{"page":1,"limit":20,"total":1,"totalPages":1}}""" },
        { "list", "a bare array", "application/json", $"[{CardJson()}]" },
        { "get", "a null document", "application/json", """{"data":null}""" },
        { "get", "a null document with a message", "application/json", """{"message":"ok","data":null}""" },
        { "get", "an array document", "application/json", $$"""{"data":[{{CardJson()}}]}""" },
        { "get", "the JSON literal null", "application/json", "null" },
        { "get", "a JSON string", "application/json", "\"Data retrieved\"" },
        { "create", "a null document", "application/json", """{"message":"Data created successfully","data":null}""" },
        { "get", "a field of the wrong type", "application/json", Envelope($$"""{"_id":"{{DocumentId}}","title":"t","priority":"high"}""") },
    };

    [Theory]
    [MemberData(nameof(StrangeAnswers))]
    public async Task A_success_whose_body_is_not_the_expected_json_is_a_MudbaseException_with_status_and_request_id(string call, string what, string contentType, string body)
    {
        AnswerAll(call == "create" ? 201 : 200, body, contentType);
        using var client = _server.Client();

        var ex = await Errors.ExpectAsync<MudbaseException>(() => DataContractTests.Calls[call](client.Cards()));

        Assert.Equal(call == "create" ? HttpStatusCode.Created : HttpStatusCode.OK, ex.StatusCode);
        Assert.Equal(RequestId, ex.RequestId);
        Assert.Equal(body, ex.ResponseBody);
        Assert.Contains(RequestId, ex.Message, StringComparison.Ordinal);
        Assert.True(ex.InnerException is JsonException, $"{what}: inner {ex.InnerException?.GetType()}");
        Assert.Single(_server.Requests());
    }

    [Theory]
    [InlineData("get")]
    [InlineData("list")]
    [InlineData("create")]
    [InlineData("update")]
    public async Task A_success_with_an_empty_body_is_a_MudbaseException_with_status_and_request_id(string call)
    {
        AnswerAll(200, "");
        using var client = _server.Client();

        var ex = await Errors.ExpectAsync<MudbaseException>(() => DataContractTests.Calls[call](client.Cards()));

        Assert.Equal(HttpStatusCode.OK, ex.StatusCode);
        Assert.Equal(RequestId, ex.RequestId);
        Assert.Single(_server.Requests());
    }

    [Fact]
    public async Task A_null_document_reads_as_an_error_for_untyped_documents_too()
    {
        AnswerAll(200, """{"data":null}""");
        using var client = _server.Client();

        var ex = await Errors.ExpectAsync<MudbaseException>(() => client.Documents().GetAsync(DocumentId, Wire.Ct));

        Assert.Equal(RequestId, ex.RequestId);
        Assert.IsAssignableFrom<JsonException>(ex.InnerException);
    }

    // ---- the API's error bodies ----

    [Fact]
    public async Task A_403_rbac_refusal_says_which_action_on_which_collection_was_needed()
    {
        AnswerAll(403, """{"error":"Insufficient permissions","required":{"action":"create","collection":"cards"},"userRole":"viewer","customRole":"none"}""");
        using var client = _server.Client();

        var ex = await Errors.ExpectAsync<MudbaseForbiddenException>(() => DataContractTests.Calls["create"](client.Cards()));

        Assert.Equal(HttpStatusCode.Forbidden, ex.StatusCode);
        Assert.Equal("create", ex.RequiredAction);
        Assert.Equal("cards", ex.RequiredCollection);
        Assert.Equal("viewer", ex.UserRole);
        Assert.Equal("none", ex.CustomRole);
        Assert.Contains("Insufficient permissions", ex.Message, StringComparison.Ordinal);
        Assert.Contains("create", ex.Message, StringComparison.Ordinal);
        Assert.Contains("cards", ex.Message, StringComparison.Ordinal);
        Assert.Equal(RequestId, ex.RequestId);
        Assert.Single(_server.Requests());
    }

    [Fact]
    public async Task A_403_for_a_protected_field_is_forbidden_with_the_servers_text()
    {
        AnswerAll(403, """{"error":"Cannot set protected role fields"}""");
        using var client = _server.Client();

        var ex = await Errors.ExpectAsync<MudbaseForbiddenException>(
            () => client.Documents().UpdateAsync(DocumentId, new JsonObject { ["role"] = "admin" }, Wire.Ct));

        Assert.Contains("Cannot set protected role fields", ex.Message, StringComparison.Ordinal);
        Assert.Null(ex.RequiredAction);
        Assert.Null(ex.RequiredCollection);
    }

    [Theory]
    [InlineData("get")]
    [InlineData("update")]
    [InlineData("delete")]
    public async Task A_404_for_an_unknown_document_is_not_found(string call)
    {
        AnswerAll(404, """{"error":"Document not found"}""");
        using var client = _server.Client();

        var ex = await Errors.ExpectAsync<MudbaseNotFoundException>(() => DataContractTests.Calls[call](client.Cards()));

        Assert.Equal(HttpStatusCode.NotFound, ex.StatusCode);
        Assert.Contains("Document not found", ex.Message, StringComparison.Ordinal);
        Assert.Equal(RequestId, ex.RequestId);
        Assert.Single(_server.Requests());
    }

    [Fact]
    public async Task A_409_unique_clash_names_the_field_and_value()
    {
        AnswerAll(409, """{"error":"A document with this email already exists","code":"duplicate_key","field":"email","value":"a@b.c"}""");
        using var client = _server.Client();

        var ex = await Errors.ExpectAsync<MudbaseConflictException>(() => DataContractTests.Calls["create"](client.Cards()));

        Assert.Equal("email", ex.Field);
        Assert.Equal("a@b.c", ex.Value?.GetString());
        Assert.Equal("duplicate_key", ex.ErrorCode);
        Assert.Contains("email", ex.Message, StringComparison.Ordinal);
        Assert.Single(_server.Requests());
    }

    [Fact]
    public async Task A_400_from_the_id_sanitizer_is_a_validation_error_naming_the_field()
    {
        AnswerAll(400, """{"error":"Invalid input: Invalid query: Invalid ObjectId format for boardId"}""");
        using var client = _server.Client();

        var ex = await Errors.ExpectAsync<MudbaseValidationException>(
            () => client.Cards().Where(Mudbase.Data.Filter.Eq("boardId", "not-an-id")).GetPageAsync(cancellationToken: Wire.Ct));

        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.Contains("boardId", ex.Message, StringComparison.Ordinal);
        Assert.Single(_server.Requests());
    }

    [Fact]
    public async Task A_401_without_a_public_grant_is_an_authentication_error_and_nothing_is_refreshed()
    {
        AnswerAll(401, """{"error":"Access denied. No token provided."}""");
        using var client = _server.Client();

        var ex = await Errors.ExpectAsync<MudbaseAuthenticationException>(() => DataContractTests.Calls["list"](client.Cards()));

        Assert.Equal(HttpStatusCode.Unauthorized, ex.StatusCode);
        Assert.Contains("No token provided", ex.Message, StringComparison.Ordinal);
        var sent = Assert.Single(_server.Requests());
        Assert.Null(sent.Header("Authorization"));
    }

    [Fact]
    public async Task A_500_on_create_is_a_server_error_and_is_not_re_sent()
    {
        AnswerAll(500, """{"error":"Failed to create data"}""");
        using var client = _server.Client();

        var ex = await Errors.ExpectAsync<MudbaseServerException>(() => DataContractTests.Calls["create"](client.Cards()));

        Assert.Contains("Failed to create data", ex.Message, StringComparison.Ordinal);
        Assert.Single(_server.Requests());
    }

    [Fact]
    public async Task An_html_502_from_a_proxy_on_a_read_is_a_server_error_after_the_retries()
    {
        AnswerAll(502, "<html><body>Bad gateway</body></html>", "text/html");
        using var client = _server.Client();

        var ex = await Errors.ExpectAsync<MudbaseServerException>(() => DataContractTests.Calls["get"](client.Cards()));

        Assert.Equal(HttpStatusCode.BadGateway, ex.StatusCode);
        Assert.Equal(RequestId, ex.RequestId);
        Assert.Equal(3, _server.Requests().Count);
    }
}
