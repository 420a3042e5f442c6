using System.Net;
using System.Text.Json.Nodes;
using Mudbase.Auth;
using Mudbase.Collections;
using Mudbase.Tests.Support;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.Server;

namespace Mudbase.Tests.Contract;

/// <summary>
/// <c>client.Collections</c> on the wire (CONTRACT.md, Collections): what each call sends (verb, path, query, exact body,
/// credentials), every answer shape it reads, its error bodies, what the pipeline re-sends, and the arguments it refuses
/// before sending anything.
/// </summary>
public sealed class CollectionsContractTests : IDisposable
{
    private const string CollectionId = "6862a1f0e129932fbb7a2001";
    private const string ApiKey = "ak_test_key";
    private static readonly string BasePath = $"/api/schemas/projects/{Wire.ProjectId}/collections";
    private static readonly string ItemPath = $"{BasePath}/{CollectionId}";

    /// <summary>A collection as the server stores it, with every documented member and a few it may add.</summary>
    private const string Todos = """
        {"_id":"6862a1f0e129932fbb7a2001","name":"todos","slug":"todos","project":"685ad30be129932fbb7a1047",
         "fields":[
           {"name":"title","type":"string","required":true,"unique":false,"validation":{"minLength":1,"maxLength":200},"ui":{"label":"Title","widget":"input"},"_id":"6862a1f0e129932fbb7a2002"},
           {"name":"done","type":"boolean","default":false},
           {"name":"priority","type":"number","default":3,"validation":{"min":1,"max":5}},
           {"name":"code","type":"string","unique":true,"default":"T-1"}],
         "permissions":[
           {"role":"customer","actions":["create","read","update","delete"],"condition":{"userId":"$userId"}},
           {"role":"public","actions":["read"],"fields":["title","done"]}],
         "settings":{"timestamps":true,"softDelete":false},
         "createdAt":"2025-06-30T10:15:00.000Z","updatedAt":"2025-07-01T08:00:30.500Z","__v":0}
        """;

    private const string OrgOnly = """{"required":["owner","admin","developer"],"current":"viewer"}""";
    private const string Unavailable = """{"error":"Service temporarily unavailable. Please try again later.","code":"SERVICE_UNAVAILABLE"}""";

    private readonly WireMockServer _server = Wire.StartServer();

    public void Dispose() => _server.Dispose();

    public static TheoryData<string> Calls => new() { "list", "get", "create", "update", "delete" };

    public static TheoryData<string> OrgCalls => new() { "create", "update", "delete" };

    // What each call sends.

    [Theory]
    [InlineData("list", "GET", "/api/schemas/projects/685ad30be129932fbb7a1047/collections")]
    [InlineData("get", "GET", "/api/schemas/projects/685ad30be129932fbb7a1047/collections/6862a1f0e129932fbb7a2001")]
    [InlineData("create", "POST", "/api/schemas/projects/685ad30be129932fbb7a1047/collections")]
    [InlineData("update", "PATCH", "/api/schemas/projects/685ad30be129932fbb7a1047/collections/6862a1f0e129932fbb7a2001")]
    [InlineData("delete", "DELETE", "/api/schemas/projects/685ad30be129932fbb7a1047/collections/6862a1f0e129932fbb7a2001")]
    public async Task Each_call_sends_its_verb_and_path_with_the_options_project_and_no_query(string call, string method, string path)
    {
        AnswerEveryCall();
        using var client = _server.Client();

        await Call(client, call);

        var sent = Assert.Single(_server.Requests());
        Assert.Equal(method, sent.Method);
        Assert.Equal(path, sent.Path);
        Assert.True(string.IsNullOrEmpty(sent.RawQuery), $"unexpected query '{sent.RawQuery}'");
        Assert.Equal("application/json", sent.Header("Accept"));
        if (method is "GET" or "DELETE")
        {
            Assert.True(string.IsNullOrEmpty(sent.Body), $"unexpected body '{sent.Body}'");
        }
        else
        {
            Assert.StartsWith("application/json", sent.Header("Content-Type"), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_project_given_to_a_call_is_used_over_the_options_one()
    {
        var other = $"/api/schemas/projects/{Wire.OtherProjectId}/collections";
        _server.Given(Request.Create().WithPath(other).UsingGet()).RespondWith(Wire.Json(200, """{"collections":[],"total":0}"""));
        _server.Given(Request.Create().WithPath(other).UsingPost()).RespondWith(Wire.Json(201, Envelope("Collection created successfully", Todos)));
        _server.Given(Request.Create().WithPath($"{other}/{CollectionId}").UsingGet()).RespondWith(Wire.Json(200, Todos));
        _server.Given(Request.Create().WithPath($"{other}/{CollectionId}").UsingPatch()).RespondWith(Wire.Json(200, Envelope("Collection updated successfully", Todos)));
        _server.Given(Request.Create().WithPath($"{other}/{CollectionId}").UsingDelete()).RespondWith(Wire.Json(200, """{"message":"Collection deleted successfully"}"""));
        using var client = _server.Client();

        await client.Collections.ListAsync(Wire.OtherProjectId, Wire.Ct);
        await client.Collections.GetAsync(CollectionId, Wire.OtherProjectId, Wire.Ct);
        await client.Collections.CreateAsync(NewTodos(projectId: Wire.OtherProjectId), Wire.Ct);
        await client.Collections.UpdateAsync(CollectionId, new UpdateCollectionRequest { Name = "tasks", ProjectId = Wire.OtherProjectId }, Wire.Ct);
        await client.Collections.DeleteAsync(CollectionId, Wire.OtherProjectId, Wire.Ct);

        Assert.Equal(
            new[] { other, $"{other}/{CollectionId}", other, $"{other}/{CollectionId}", $"{other}/{CollectionId}" },
            _server.Requests().Select(r => r.Path));
    }

    [Fact]
    public async Task Create_posts_the_name_and_fields_only_with_required_and_unique_sent_when_true()
    {
        AnswerEveryCall();
        using var client = _server.Client();

        await client.Collections.CreateAsync(NewTodos(), Wire.Ct);

        Assert.Equal(
            """{"name":"todos","fields":[{"name":"title","type":"string","required":true},{"name":"done","type":"boolean","default":false}]}""",
            Assert.Single(_server.Requests()).Body);
    }

    [Fact]
    public async Task Create_posts_every_member_it_is_given_in_the_contract_order()
    {
        AnswerEveryCall();
        using var client = _server.Client();

        await client.Collections.CreateAsync(new CreateCollectionRequest
        {
            Name = "products",
            Slug = "shop-products",
            Fields =
            [
                new SchemaField("sku", SchemaFieldTypes.String, required: true, unique: true, validation: new JsonObject { ["pattern"] = "^[A-Z]{3}-[0-9]{4}$" }),
                new SchemaField("price", SchemaFieldTypes.Number, defaultValue: 9.5),
                new SchemaField("status", SchemaFieldTypes.Enum, defaultValue: "draft", validation: new JsonObject { ["enum"] = new JsonArray("draft", "live") }),
            ],
            Permissions =
            [
                new CollectionPermission("seller", ["create", "read", "update"], condition: new JsonObject { ["sellerId"] = "$userId" }),
                new CollectionPermission("public", ["read"], fields: ["sku", "price"]),
            ],
            Settings = new JsonObject { ["timestamps"] = true },
        }, Wire.Ct);

        Assert.Equal(
            """{"name":"products","slug":"shop-products","fields":[""" +
            """{"name":"sku","type":"string","required":true,"unique":true,"validation":{"pattern":"^[A-Z]{3}-[0-9]{4}$"}},""" +
            """{"name":"price","type":"number","default":9.5},""" +
            """{"name":"status","type":"enum","default":"draft","validation":{"enum":["draft","live"]}}]""" +
            ""","permissions":[{"role":"seller","actions":["create","read","update"],"condition":{"sellerId":"$userId"}},""" +
            """{"role":"public","actions":["read"],"fields":["sku","price"]}]""" +
            ""","settings":{"timestamps":true}}""",
            Assert.Single(_server.Requests()).Body);
    }

    [Fact]
    public async Task Update_patches_only_what_the_request_sets()
    {
        AnswerEveryCall();
        using var client = _server.Client();

        await client.Collections.UpdateAsync(CollectionId, new UpdateCollectionRequest { Name = "tasks" }, Wire.Ct);
        await client.Collections.UpdateAsync(CollectionId, new UpdateCollectionRequest
        {
            Fields = [new SchemaField("title", SchemaFieldTypes.Text)],
            Permissions = [],
            Settings = new JsonObject { ["softDelete"] = true },
        }, Wire.Ct);

        Assert.Equal(
            new[]
            {
                """{"name":"tasks"}""",
                """{"fields":[{"name":"title","type":"text"}],"permissions":[],"settings":{"softDelete":true}}""",
            },
            _server.Requests().Select(r => r.Body));
    }

    [Fact]
    public async Task Fields_and_rules_read_from_the_server_go_back_with_what_the_sdk_does_not_model()
    {
        AnswerEveryCall();
        using var client = _server.Client();
        var schema = await client.Collections.GetAsync(CollectionId, cancellationToken: Wire.Ct);

        await client.Collections.UpdateAsync(CollectionId, new UpdateCollectionRequest
        {
            Fields = [schema.Fields[0], new SchemaField("notes", SchemaFieldTypes.Text)],
            Permissions = [schema.Permissions[1]],
        }, Wire.Ct);

        Assert.Equal(
            """{"fields":[{"name":"title","type":"string","required":true,"validation":{"minLength":1,"maxLength":200}""" +
            ""","ui":{"label":"Title","widget":"input"},"_id":"6862a1f0e129932fbb7a2002"},{"name":"notes","type":"text"}]""" +
            ""","permissions":[{"role":"public","actions":["read"],"fields":["title","done"]}]}""",
            _server.Requests()[1].Body);
    }

    // Credentials.

    [Theory]
    [MemberData(nameof(Calls))]
    public async Task Signed_out_without_an_api_key_a_call_carries_no_credential(string call)
    {
        AnswerEveryCall();
        using var client = _server.Client();

        await Call(client, call);

        var sent = Assert.Single(_server.Requests());
        Assert.Null(sent.Header("Authorization"));
        Assert.Null(sent.Header("X-API-Key"));
    }

    [Theory]
    [MemberData(nameof(Calls))]
    public async Task With_an_api_key_and_no_user_a_call_carries_the_key_alone(string call)
    {
        AnswerEveryCall();
        using var client = _server.Client(o => o.ApiKey = ApiKey);

        await Call(client, call);

        var sent = Assert.Single(_server.Requests());
        Assert.Equal(ApiKey, sent.Header("X-API-Key"));
        Assert.Null(sent.Header("Authorization"));
    }

    [Theory]
    [MemberData(nameof(Calls))]
    public async Task Signed_in_a_call_carries_the_users_bearer_token(string call)
    {
        AnswerEveryCall();
        using var client = _server.Client();

        await Call(client.WithSession(UserSession()), call);

        var sent = Assert.Single(_server.Requests());
        Assert.Equal($"Bearer {Bodies.AccessToken}", sent.Header("Authorization"));
        Assert.Null(sent.Header("X-API-Key"));
    }

    [Theory]
    [MemberData(nameof(Calls))]
    public async Task Signed_in_with_an_api_key_a_call_carries_both_and_the_server_decides(string call)
    {
        AnswerEveryCall();
        using var client = _server.Client(o => o.ApiKey = ApiKey);

        await Call(client.WithSession(UserSession()), call);

        var sent = Assert.Single(_server.Requests());
        Assert.Equal($"Bearer {Bodies.AccessToken}", sent.Header("Authorization"));
        Assert.Equal(ApiKey, sent.Header("X-API-Key"));
    }

    // Answers.

    [Fact]
    public async Task List_reads_every_member_of_every_collection()
    {
        _server.Answer(BasePath, Wire.Json(200, $$"""{"collections":[{{Todos}},{"_id":"6862a1f0e129932fbb7a2009","name":"notes","fields":[]}],"total":2}"""));
        using var client = _server.Client();

        var schemas = await client.Collections.ListAsync(cancellationToken: Wire.Ct);

        Assert.Equal(2, schemas.Count);
        AssertTodos(schemas[0]);
        Assert.Equal("6862a1f0e129932fbb7a2009", schemas[1].Id);
        Assert.Equal("notes", schemas[1].Name);
        Assert.Empty(schemas[1].Fields);
    }

    [Fact]
    public async Task List_of_no_collections_is_empty()
    {
        _server.Answer(BasePath, Wire.Json(200, """{"collections":[],"total":0}"""));
        using var client = _server.Client();

        Assert.Empty(await client.Collections.ListAsync(cancellationToken: Wire.Ct));
    }

    [Fact]
    public async Task Get_reads_the_bare_collection()
    {
        _server.Answer(ItemPath, Wire.Json(200, Todos));
        using var client = _server.Client();

        AssertTodos(await client.Collections.GetAsync(CollectionId, cancellationToken: Wire.Ct));
    }

    [Fact]
    public async Task Create_and_update_read_the_collection_inside_their_envelope()
    {
        _server.Given(Request.Create().WithPath(BasePath).UsingPost()).RespondWith(Wire.Json(201, Envelope("Collection created successfully", Todos)));
        _server.Given(Request.Create().WithPath(ItemPath).UsingPatch()).RespondWith(Wire.Json(200, Envelope("Collection updated successfully", Todos)));
        using var client = _server.Client();

        AssertTodos(await client.Collections.CreateAsync(NewTodos(), Wire.Ct));
        AssertTodos(await client.Collections.UpdateAsync(CollectionId, new UpdateCollectionRequest { Name = "todos" }, Wire.Ct));
    }

    [Fact]
    public async Task Get_also_reads_a_collection_in_an_envelope_and_create_a_bare_one()
    {
        _server.Given(Request.Create().WithPath(ItemPath).UsingGet()).RespondWith(Wire.Json(200, Envelope("ok", Todos)));
        _server.Given(Request.Create().WithPath(BasePath).UsingPost()).RespondWith(Wire.Json(201, Todos));
        using var client = _server.Client();

        AssertTodos(await client.Collections.GetAsync(CollectionId, cancellationToken: Wire.Ct));
        AssertTodos(await client.Collections.CreateAsync(NewTodos(), Wire.Ct));
    }

    [Theory]
    [InlineData("""{"id":"6862a1f0e129932fbb7a2001","name":"todos"}""", "6862a1f0e129932fbb7a2001")]
    [InlineData("""{"_id":"6862a1f0e129932fbb7a2001","id":"other","name":"todos"}""", "6862a1f0e129932fbb7a2001")]
    public async Task The_id_is_read_from_underscore_id_else_from_id(string body, string id)
    {
        _server.Answer(ItemPath, Wire.Json(200, body));
        using var client = _server.Client();

        Assert.Equal(id, (await client.Collections.GetAsync(CollectionId, cancellationToken: Wire.Ct)).Id);
    }

    [Fact]
    public async Task Missing_optional_members_read_as_empty_or_unknown_and_the_project_is_the_calls()
    {
        _server.Answer($"/api/schemas/projects/{Wire.OtherProjectId}/collections/{CollectionId}", Wire.Json(200, """{"_id":"6862a1f0e129932fbb7a2001"}"""));
        using var client = _server.Client();

        var schema = await client.Collections.GetAsync(CollectionId, Wire.OtherProjectId, Wire.Ct);

        Assert.Equal(CollectionId, schema.Id);
        Assert.Equal("", schema.Name);
        Assert.Null(schema.Slug);
        Assert.Equal(Wire.OtherProjectId, schema.ProjectId);
        Assert.Empty(schema.Fields);
        Assert.Empty(schema.Permissions);
        Assert.Null(schema.Settings);
        Assert.Null(schema.CreatedAt);
        Assert.Null(schema.UpdatedAt);
    }

    [Fact]
    public async Task Unknown_members_types_and_shapes_are_read_without_failing()
    {
        _server.Answer(ItemPath, Wire.Json(200, """
            {"_id":"6862a1f0e129932fbb7a2001","name":"places","isSystem":false,"indexes":[{"fields":{"name":1}}],
             "project":{"_id":"685ad30be129932fbb7a9999","name":"Shop"},
             "fields":[null,{"name":"where","type":"geopoint","precision":6},{"name":"tags","type":"array","required":null,"default":null},{"name":"extra"}],
             "permissions":[{"role":"public","actions":["read",null],"conditions":{"status":"published"},"dataScope":"all"},{"actions":[]}],
             "settings":null,"createdAt":1719830400000,"updatedAt":"not a date"}
            """));
        using var client = _server.Client();

        var schema = await client.Collections.GetAsync(CollectionId, cancellationToken: Wire.Ct);

        Assert.Equal(Wire.OtherProjectId, schema.ProjectId);
        Assert.Equal(["where", "tags", "extra"], schema.Fields.Select(f => f.Name));
        Assert.Equal(["geopoint", SchemaFieldTypes.Array, ""], schema.Fields.Select(f => f.Type));
        Assert.False(schema.Fields[1].Required);
        Assert.Null(schema.Fields[1].Default);
        var rule = schema.Permissions[0];
        Assert.Equal("public", rule.Role);
        Assert.Equal(["read"], rule.Actions);
        Assert.Null(rule.Fields);
        Assert.Equal("""{"status":"published"}""", rule.Condition!.ToJsonString());
        Assert.Equal("", schema.Permissions[1].Role);
        Assert.Null(schema.Settings);
        Assert.Null(schema.CreatedAt);
        Assert.Null(schema.UpdatedAt);
    }

    [Theory]
    [InlineData("get", """{"message":"ok"}""")]
    [InlineData("get", "<html><body>Bad gateway</body></html>")]
    [InlineData("list", """{"data":[]}""")]
    [InlineData("create", """{"message":"Collection created successfully"}""")]
    public async Task A_success_that_holds_no_collection_is_a_mudbase_exception_with_the_body(string call, string body)
    {
        _server.AnswerAll(Wire.Json(200, body));
        using var client = _server.Client();

        var ex = await Errors.ExpectAsync<MudbaseException>(() => Call(client, call));

        Assert.Equal(HttpStatusCode.OK, ex.StatusCode);
        Assert.Equal(body, ex.ResponseBody);
    }

    [Theory]
    [InlineData(200, """{"message":"Collection deleted successfully"}""")]
    [InlineData(204, null)]
    public async Task Delete_accepts_any_success(int status, string? body)
    {
        _server.Answer(ItemPath, body is null ? WireMock.ResponseBuilders.Response.Create().WithStatusCode(status) : Wire.Json(status, body));
        using var client = _server.Client();

        await client.Collections.DeleteAsync(CollectionId, cancellationToken: Wire.Ct);

        Assert.Single(_server.Requests());
    }

    // Errors.

    [Theory]
    [MemberData(nameof(OrgCalls))]
    public async Task A_users_token_on_a_schema_write_is_forbidden_with_the_roles_it_needs(string call)
    {
        _server.AnswerAll(Wire.Json(403, OrgOnly));
        using var client = _server.Client();

        var ex = await Errors.ExpectAsync<MudbaseForbiddenException>(() => Call(client.WithSession(UserSession()), call));

        Assert.Equal(["owner", "admin", "developer"], ex.RequiredRoles);
        Assert.Equal("viewer", ex.UserRole);
        Assert.Equal(HttpStatusCode.Forbidden, ex.StatusCode);
        Assert.Single(_server.Requests());
    }

    [Theory]
    [InlineData("get")]
    [InlineData("update")]
    [InlineData("delete")]
    public async Task An_unknown_collection_is_not_found_with_the_servers_message(string call)
    {
        _server.AnswerAll(Wire.Json(404, """{"error":"Collection not found"}"""));
        using var client = _server.Client(o => o.ApiKey = ApiKey);

        var ex = await Errors.ExpectAsync<MudbaseNotFoundException>(() => Call(client, call));

        Assert.Contains("Collection not found", ex.Message, StringComparison.Ordinal);
        Assert.Single(_server.Requests());
    }

    [Fact]
    public async Task A_refused_schema_is_a_validation_exception_with_the_details()
    {
        _server.AnswerAll(Wire.Json(400, """{"error":"Validation failed","details":["\"fields[0].type\" must be one of [string, number]"]}"""));
        using var client = _server.Client(o => o.ApiKey = ApiKey);

        var ex = await Errors.ExpectAsync<MudbaseValidationException>(() => client.Collections.CreateAsync(NewTodos(), Wire.Ct));

        Assert.Contains("fields[0].type", ex.Message, StringComparison.Ordinal);
    }

    // What is re-sent.

    [Theory]
    [InlineData("list", 3)]
    [InlineData("get", 3)]
    [InlineData("delete", 3)]
    [InlineData("create", 1)]
    [InlineData("update", 1)]
    public async Task After_a_503_reads_and_deletes_are_resent_and_create_and_update_are_not(string call, int expectedRequests)
    {
        _server.AnswerAll(Wire.Json(503, Unavailable));
        using var client = _server.Client(o => o.ApiKey = ApiKey);

        var ex = await Errors.ExpectAsync<MudbaseServerException>(() => Call(client, call));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ex.StatusCode);
        var requests = _server.Requests();
        Assert.Equal(expectedRequests, requests.Count);
        Assert.Single(requests.Select(r => (r.Method, r.Path, r.Body)).Distinct());
    }

    [Fact]
    public async Task A_list_answered_503_then_200_succeeds_on_the_second_request()
    {
        var answers = _server.AnswerInOrder(BasePath, () => Wire.Message(503, Unavailable), () => Wire.Message(200, $$"""{"collections":[{{Todos}}],"total":1}"""));
        using var client = _server.Client();

        var schemas = await client.Collections.ListAsync(cancellationToken: Wire.Ct);

        AssertTodos(Assert.Single(schemas));
        Assert.Equal(2, answers.Count);
    }

    // Arguments.

    public static TheoryData<string, string> BadArguments() => new(ArgumentCases.Keys.Select(key => (key, ArgumentCases[key].ParamName)));

    private static readonly Dictionary<string, (string ParamName, Func<IMudbaseClient, Task> Call)> ArgumentCases = new()
    {
        ["get: null id"] = ("collectionId", c => c.Collections.GetAsync(null!)),
        ["get: blank id"] = ("collectionId", c => c.Collections.GetAsync(" ")),
        ["get: blank project"] = ("projectId", c => c.Collections.GetAsync(CollectionId, "")),
        ["list: blank project"] = ("projectId", c => c.Collections.ListAsync("\t")),
        ["delete: empty id"] = ("collectionId", c => c.Collections.DeleteAsync("")),
        ["update: blank id"] = ("collectionId", c => c.Collections.UpdateAsync(" ", new UpdateCollectionRequest { Name = "x" })),
        ["update: null request"] = ("request", c => c.Collections.UpdateAsync(CollectionId, null!)),
        ["update: changes nothing"] = ("request", c => c.Collections.UpdateAsync(CollectionId, new UpdateCollectionRequest { ProjectId = Wire.ProjectId })),
        ["update: blank name"] = ("request.Name", c => c.Collections.UpdateAsync(CollectionId, new UpdateCollectionRequest { Name = "" })),
        ["update: no fields"] = ("request.Fields", c => c.Collections.UpdateAsync(CollectionId, new UpdateCollectionRequest { Fields = [] })),
        ["update: blank project"] = ("request.ProjectId", c => c.Collections.UpdateAsync(CollectionId, new UpdateCollectionRequest { Name = "x", ProjectId = " " })),
        ["create: null request"] = ("request", c => c.Collections.CreateAsync(null!)),
        ["create: null name"] = ("request.Name", c => c.Collections.CreateAsync(NewTodos(name: null!))),
        ["create: blank name"] = ("request.Name", c => c.Collections.CreateAsync(NewTodos(name: "  "))),
        ["create: blank slug"] = ("request.Slug", c => c.Collections.CreateAsync(With(NewTodos(), r => r.Slug = ""))),
        ["create: null fields"] = ("request.Fields", c => c.Collections.CreateAsync(With(NewTodos(), r => r.Fields = null!))),
        ["create: no fields"] = ("request.Fields", c => c.Collections.CreateAsync(With(NewTodos(), r => r.Fields = []))),
        ["create: a null field"] = ("request.Fields[1]", c => c.Collections.CreateAsync(With(NewTodos(), r => r.Fields = [r.Fields[0], null!]))),
        ["create: blank field name"] = ("request.Fields[1].Name", c => c.Collections.CreateAsync(With(NewTodos(), r => r.Fields = [r.Fields[0], new SchemaField(" ", "string")]))),
        ["create: blank field type"] = ("request.Fields[0].Type", c => c.Collections.CreateAsync(With(NewTodos(), r => r.Fields = [new SchemaField("title", "")]))),
        ["create: two fields of one name"] = ("request.Fields", c => c.Collections.CreateAsync(With(NewTodos(), r => r.Fields = [r.Fields[0], r.Fields[0]]))),
        ["create: blank role"] = ("request.Permissions[0].Role", c => c.Collections.CreateAsync(With(NewTodos(), r => r.Permissions = [new CollectionPermission("", ["read"])]))),
        ["create: blank action"] = ("request.Permissions[0].Actions[1]", c => c.Collections.CreateAsync(With(NewTodos(), r => r.Permissions = [new CollectionPermission("public", ["read", " "])]))),
        ["create: blank project"] = ("request.ProjectId", c => c.Collections.CreateAsync(NewTodos(projectId: ""))),
    };

    [Theory]
    [MemberData(nameof(BadArguments))]
    public void Wrong_arguments_throw_at_once_naming_the_parameter_and_send_nothing(string @case, string paramName)
    {
        AnswerEveryCall();
        using var client = _server.Client();

        // Thrown by the call itself, not by the task it would return: no operation starts.
        var ex = Assert.ThrowsAny<ArgumentException>(() => { _ = ArgumentCases[@case].Call(client); });

        Assert.Equal(paramName, ex.ParamName);
        Assert.Empty(_server.Requests());
    }

    [Theory]
    [InlineData("list", "projectId")]
    [InlineData("get", "projectId")]
    [InlineData("delete", "projectId")]
    [InlineData("create", "request.ProjectId")]
    [InlineData("update", "request.ProjectId")]
    public void Without_a_project_in_the_call_or_the_options_a_call_throws_naming_where_to_give_one(string call, string paramName)
    {
        AnswerEveryCall();
        using var client = _server.Client(o => o.ProjectId = null);

        var ex = Assert.Throws<ArgumentException>(() => { _ = Call(client, call); });

        Assert.Equal(paramName, ex.ParamName);
        Assert.Contains("MudbaseClientOptions.ProjectId", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_server.Requests());
    }

    [Fact]
    public void Schema_parts_refuse_null_names_types_and_actions()
    {
        Assert.Equal("name", Assert.Throws<ArgumentNullException>(() => new SchemaField(null!, SchemaFieldTypes.String)).ParamName);
        Assert.Equal("type", Assert.Throws<ArgumentNullException>(() => new SchemaField("title", null!)).ParamName);
        Assert.Equal("role", Assert.Throws<ArgumentNullException>(() => new CollectionPermission(null!, ["read"])).ParamName);
        Assert.Equal("actions", Assert.Throws<ArgumentNullException>(() => new CollectionPermission("public", null!)).ParamName);
    }

    // Helpers.

    private void AnswerEveryCall()
    {
        _server.Given(Request.Create().WithPath(BasePath).UsingGet()).RespondWith(Wire.Json(200, $$"""{"collections":[{{Todos}}],"total":1}"""));
        _server.Given(Request.Create().WithPath(BasePath).UsingPost()).RespondWith(Wire.Json(201, Envelope("Collection created successfully", Todos)));
        _server.Given(Request.Create().WithPath(ItemPath).UsingGet()).RespondWith(Wire.Json(200, Todos));
        _server.Given(Request.Create().WithPath(ItemPath).UsingPatch()).RespondWith(Wire.Json(200, Envelope("Collection updated successfully", Todos)));
        _server.Given(Request.Create().WithPath(ItemPath).UsingDelete()).RespondWith(Wire.Json(200, """{"message":"Collection deleted successfully"}"""));
    }

    private static Task Call(IMudbaseClient client, string call) => call switch
    {
        "list" => client.Collections.ListAsync(cancellationToken: Wire.Ct),
        "get" => client.Collections.GetAsync(CollectionId, cancellationToken: Wire.Ct),
        "create" => client.Collections.CreateAsync(NewTodos(), Wire.Ct),
        "update" => client.Collections.UpdateAsync(CollectionId, new UpdateCollectionRequest { Name = "tasks" }, Wire.Ct),
        "delete" => client.Collections.DeleteAsync(CollectionId, cancellationToken: Wire.Ct),
        _ => throw new ArgumentOutOfRangeException(nameof(call), call, null),
    };

    private static CreateCollectionRequest NewTodos(string name = "todos", string? projectId = null) => new()
    {
        Name = name,
        Fields = [new SchemaField("title", SchemaFieldTypes.String, required: true), new SchemaField("done", SchemaFieldTypes.Boolean, defaultValue: false)],
        ProjectId = projectId,
    };

    private static CreateCollectionRequest With(CreateCollectionRequest request, Action<CreateCollectionRequest> change)
    {
        change(request);
        return request;
    }

    private static string Envelope(string message, string collection) => $$"""{"message":"{{message}}","collection":{{collection}}}""";

    private static AuthSession UserSession() =>
        new(Bodies.AccessToken, Bodies.RefreshToken, 86400, DateTimeOffset.UtcNow.AddDays(1), new MudbaseUser(Bodies.UserId, "ada@northwind.dev"));

    /// <summary>Every member of <see cref="Todos"/>, as read.</summary>
    private static void AssertTodos(CollectionSchema schema)
    {
        Assert.Equal(CollectionId, schema.Id);
        Assert.Equal("todos", schema.Name);
        Assert.Equal("todos", schema.Slug);
        Assert.Equal(Wire.ProjectId, schema.ProjectId);
        Assert.Equal(new DateTimeOffset(2025, 6, 30, 10, 15, 0, TimeSpan.Zero), schema.CreatedAt);
        Assert.Equal(new DateTimeOffset(2025, 7, 1, 8, 0, 30, 500, TimeSpan.Zero), schema.UpdatedAt);
        Assert.Equal("""{"timestamps":true,"softDelete":false}""", schema.Settings!.ToJsonString());

        Assert.Equal(["title", "done", "priority", "code"], schema.Fields.Select(f => f.Name));
        Assert.Equal([SchemaFieldTypes.String, SchemaFieldTypes.Boolean, SchemaFieldTypes.Number, SchemaFieldTypes.String], schema.Fields.Select(f => f.Type));
        Assert.Equal([true, false, false, false], schema.Fields.Select(f => f.Required));
        Assert.Equal([false, false, false, true], schema.Fields.Select(f => f.Unique));
        Assert.Equal([null, "false", "3", "\"T-1\""], schema.Fields.Select(f => f.Default?.ToJsonString()));
        Assert.Equal(["""{"minLength":1,"maxLength":200}""", null, """{"min":1,"max":5}""", null], schema.Fields.Select(f => f.Validation?.ToJsonString()));

        Assert.Equal(2, schema.Permissions.Count);
        var owner = schema.Permissions[0];
        Assert.Equal("customer", owner.Role);
        Assert.Equal(["create", "read", "update", "delete"], owner.Actions);
        Assert.Null(owner.Fields);
        Assert.Equal("""{"userId":"$userId"}""", owner.Condition!.ToJsonString());
        var reader = schema.Permissions[1];
        Assert.Equal("public", reader.Role);
        Assert.Equal(["read"], reader.Actions);
        Assert.Equal(["title", "done"], reader.Fields!);
        Assert.Null(reader.Condition);
    }
}
