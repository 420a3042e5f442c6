using System.Net;
using System.Text.Json;
using Mudbase.Tests.Support;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Mudbase.Tests.Contract;

/// <summary>A success status whose body is not what the call needs: always a MudbaseException, never a raw parser error.</summary>
public sealed class UnreadableSuccessTests : IDisposable
{
    private readonly WireMockServer _server = Wire.StartServer();

    public void Dispose() => _server.Dispose();

    public static TheoryData<string, string> UnreadableSessions => new()
    {
        { "an HTML page", "<!DOCTYPE html><html><body>Welcome to nginx!</body></html>" },
        { "truncated JSON", """{"message":"Anonymous session created","token":"eyJhbGciOi""" },
        { "a missing token", """{"refreshToken":"r1","expiresIn":86400,"user":{"id":"685acbe0e129932fbb7a0fc2"}}""" },
        { "a null token", """{"token":null,"refreshToken":"r1","expiresIn":86400,"user":{"id":"685acbe0e129932fbb7a0fc2"}}""" },
        { "a missing user", """{"token":"t1","refreshToken":"r1","expiresIn":86400}""" },
        { "expiresIn as text", """{"token":"t1","refreshToken":"r1","expiresIn":"one day","user":{"id":"685acbe0e129932fbb7a0fc2"}}""" },
        { "user as a string", """{"token":"t1","refreshToken":"r1","expiresIn":86400,"user":"685acbe0e129932fbb7a0fc2"}""" },
        { "a JSON array", """[{"token":"t1"}]""" },
        { "a JSON string", "\"ok\"" },
        { "the JSON literal null", "null" },
    };

    [Theory]
    [MemberData(nameof(UnreadableSessions))]
    public async Task A_200_with_an_unreadable_session_body_gives_a_base_MudbaseException_with_status_200_and_the_parse_error_inside(string what, string body)
    {
        _server.Answer(Wire.AnonymousPath, Wire.Json(200, body));
        using var client = _server.Client();

        var ex = await Errors.CatchAsync(() => client.Auth.CreateAnonymousAsync(cancellationToken: Wire.Ct));

        var mudbase = Assert.IsType<MudbaseException>(ex, exactMatch: true);
        Assert.Equal(HttpStatusCode.OK, mudbase.StatusCode);
        Assert.True(mudbase.InnerException is JsonException, $"{what}: expected a JsonException inside, got {mudbase.InnerException?.GetType().ToString() ?? "nothing"}");
        Assert.StartsWith("HTTP 200: ", mudbase.Message, StringComparison.Ordinal);
        Assert.Single(_server.Requests());
    }

    [Fact]
    public async Task A_201_register_answer_that_is_an_html_page_gives_a_base_MudbaseException_with_status_201()
    {
        const string html = "<html><body>Registered!</body></html>";
        _server.Answer(Wire.RegisterPath, Response.Create().WithStatusCode(201).WithHeader("Content-Type", "text/html").WithBody(html));
        using var client = _server.Client();

        var ex = await Errors.ExpectAsync<MudbaseException>(() => client.Auth.RegisterAsync(Wire.NewRegisterRequest(), Wire.Ct));

        Assert.Equal(HttpStatusCode.Created, ex.StatusCode);
        Assert.IsAssignableFrom<JsonException>(ex.InnerException);
    }

    [Theory]
    [InlineData("anonymous", 200)]
    [InlineData("register", 201)]
    public async Task An_unreadable_success_keeps_its_body_in_ResponseBody(string call, int status)
    {
        const string html = "<html><body>Maintenance until 14:00</body></html>";
        _server.AnswerAll(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "text/html").WithBody(html));
        using var client = _server.Client();

        var ex = await Errors.ExpectAsync<MudbaseException>(() => CallAsync(client, call));

        Assert.Equal((HttpStatusCode)status, ex.StatusCode);
        Assert.Equal(html, ex.ResponseBody);
    }

    [Fact]
    public async Task A_register_answer_with_requireVerification_as_text_gives_a_base_MudbaseException()
    {
        _server.Answer(Wire.RegisterPath, Wire.Json(201, """{"message":"ok","requireVerification":"yes"}"""));
        using var client = _server.Client();

        var ex = await Errors.ExpectAsync<MudbaseException>(() => client.Auth.RegisterAsync(Wire.NewRegisterRequest(), Wire.Ct));

        Assert.Equal(HttpStatusCode.Created, ex.StatusCode);
        Assert.IsAssignableFrom<JsonException>(ex.InnerException);
    }

    [Fact]
    public async Task A_register_answer_that_is_the_JSON_literal_null_gives_a_base_MudbaseException()
    {
        _server.Answer(Wire.RegisterPath, Wire.Json(201, "null"));
        using var client = _server.Client();

        var ex = await Errors.ExpectAsync<MudbaseException>(() => client.Auth.RegisterAsync(Wire.NewRegisterRequest(), Wire.Ct));

        Assert.Equal(HttpStatusCode.Created, ex.StatusCode);
    }

    [Theory]
    [InlineData("anonymous")]
    [InlineData("register")]
    public async Task A_200_with_an_empty_body_gives_a_MudbaseException_with_status_200(string call)
    {
        _server.AnswerAll(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json"));
        using var client = _server.Client();

        var ex = await Errors.ExpectAsync<MudbaseException>(() => CallAsync(client, call));

        Assert.Equal(HttpStatusCode.OK, ex.StatusCode);
        Assert.StartsWith("HTTP 200: ", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("anonymous")]
    [InlineData("register")]
    public async Task A_204_gives_a_MudbaseException_with_status_204(string call)
    {
        _server.AnswerAll(Response.Create().WithStatusCode(204));
        using var client = _server.Client();

        var ex = await Errors.ExpectAsync<MudbaseException>(() => CallAsync(client, call));

        Assert.Equal(HttpStatusCode.NoContent, ex.StatusCode);
        Assert.StartsWith("HTTP 204: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreadable_200_keeps_its_request_id_header_in_the_exception()
    {
        _server.Answer(Wire.AnonymousPath, Response.Create().WithStatusCode(200).WithHeader("Content-Type", "text/html").WithHeader("x-request-id", "req-html-1").WithBody("<html></html>"));
        using var client = _server.Client();

        var ex = await Errors.ExpectAsync<MudbaseException>(() => client.Auth.CreateAnonymousAsync(cancellationToken: Wire.Ct));

        Assert.Equal("req-html-1", ex.RequestId);
        Assert.Contains("(request id req-html-1)", ex.Message, StringComparison.Ordinal);
    }

    private static Task CallAsync(MudbaseClient client, string call) => call switch
    {
        "anonymous" => client.Auth.CreateAnonymousAsync(cancellationToken: Wire.Ct),
        "register" => client.Auth.RegisterAsync(Wire.NewRegisterRequest(), Wire.Ct),
        _ => throw new ArgumentOutOfRangeException(nameof(call)),
    };
}
