using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Mudbase.Auth;
using Mudbase.Tests.Support;
using WireMock;
using WireMock.Server;

namespace Mudbase.Tests.Contract;

/// <summary>What the two auth calls put on the wire: verb, path, headers and the exact body.</summary>
public sealed partial class WireFormatTests : IDisposable
{
    private readonly WireMockServer _server = Wire.StartServer();

    public WireFormatTests()
    {
        _server.Answer(Wire.AnonymousPath, Wire.Json(200, Bodies.AnonymousSession()));
        _server.Answer(Wire.RegisterPath, Wire.Json(201, Bodies.RegisterVerificationWithUser));
    }

    public void Dispose() => _server.Dispose();

    private IRequestMessage SingleRequest() => Assert.Single(_server.Requests());

    [Fact]
    public async Task Anonymous_sign_in_posts_the_options_project_id_when_the_request_names_none()
    {
        using var client = _server.Client();

        await client.Auth.CreateAnonymousAsync(cancellationToken: Wire.Ct);

        var sent = SingleRequest();
        Assert.Equal("POST", sent.Method);
        Assert.Equal(Wire.AnonymousPath, sent.Path);
        Assert.True(string.IsNullOrEmpty(sent.RawQuery), $"unexpected query '{sent.RawQuery}'");
        Assert.Equal($$"""{"projectId":"{{Wire.ProjectId}}"}""", sent.Body);
    }

    [Fact]
    public async Task Anonymous_sign_in_sends_the_request_project_id_over_the_options_one()
    {
        using var client = _server.Client();

        await client.Auth.CreateAnonymousAsync(new CreateAnonymousRequest { ProjectId = Wire.OtherProjectId, DeviceId = "device-42" }, Wire.Ct);

        Assert.Equal($$"""{"projectId":"{{Wire.OtherProjectId}}","deviceId":"device-42"}""", SingleRequest().Body);
    }

    [Fact]
    public async Task Anonymous_sign_in_with_only_a_device_id_adds_the_options_project_id()
    {
        using var client = _server.Client();

        await client.Auth.CreateAnonymousAsync(new CreateAnonymousRequest { DeviceId = "device-42" }, Wire.Ct);

        Assert.Equal($$"""{"projectId":"{{Wire.ProjectId}}","deviceId":"device-42"}""", SingleRequest().Body);
    }

    [Fact]
    public async Task Anonymous_sign_in_without_any_project_id_omits_both_fields_instead_of_sending_nulls()
    {
        using var client = _server.Client(o => o.ProjectId = null);

        await client.Auth.CreateAnonymousAsync(new CreateAnonymousRequest(), Wire.Ct);

        Assert.Equal("{}", SingleRequest().Body);
    }

    [Fact]
    public async Task Register_posts_exactly_the_five_camel_case_fields_in_order()
    {
        using var client = _server.Client();

        await client.Auth.RegisterAsync(Wire.NewRegisterRequest(), Wire.Ct);

        var sent = SingleRequest();
        Assert.Equal("POST", sent.Method);
        Assert.Equal(Wire.RegisterPath, sent.Path);
        Assert.Equal(
            $$"""{"email":"ada@northwind.dev","password":"Sup3r-secret-pw","firstName":"Ada","lastName":"Lovelace","projectId":"{{Wire.ProjectId}}"}""",
            sent.Body);
    }

    [Fact]
    public async Task Register_sends_the_request_project_id_over_the_options_one()
    {
        using var client = _server.Client();

        await client.Auth.RegisterAsync(Wire.NewRegisterRequest(Wire.OtherProjectId), Wire.Ct);

        using var body = JsonDocument.Parse(SingleRequest().Body!);
        Assert.Equal(Wire.OtherProjectId, body.RootElement.GetProperty("projectId").GetString());
    }

    [Fact]
    public async Task Register_keeps_non_ascii_names_and_plus_addressed_emails_intact()
    {
        using var client = _server.Client();
        var request = Wire.NewRegisterRequest();
        request.Email = "zoë+tag@northwind.dev";
        request.FirstName = "Zoë";
        request.LastName = "Ñúñez 李";

        await client.Auth.RegisterAsync(request, Wire.Ct);

        using var body = JsonDocument.Parse(SingleRequest().Body!);
        Assert.Equal("zoë+tag@northwind.dev", body.RootElement.GetProperty("email").GetString());
        Assert.Equal("Zoë", body.RootElement.GetProperty("firstName").GetString());
        Assert.Equal("Ñúñez 李", body.RootElement.GetProperty("lastName").GetString());
    }

    [Theory]
    [InlineData("anonymous")]
    [InlineData("register")]
    public async Task Both_calls_send_accept_content_type_and_user_agent_headers(string call)
    {
        using var client = _server.Client();

        await CallAsync(client, call);

        var sent = SingleRequest();
        Assert.Equal("application/json", sent.Header("Accept"));
        Assert.Equal("application/json; charset=utf-8", sent.Header("Content-Type"));
        var userAgent = sent.Header("User-Agent");
        Assert.NotNull(userAgent);
        Assert.Matches(UserAgentPattern(), userAgent);
        var version = typeof(MudbaseClient).Assembly.GetName().Version!;
        Assert.StartsWith($"mudbase-dotnet/{version.Major}.{version.Minor}.{version.Build}", userAgent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("anonymous")]
    [InlineData("register")]
    public async Task Both_calls_send_the_api_key_header_when_one_is_configured(string call)
    {
        using var client = _server.Client(o => o.ApiKey = "mb_live_0123456789abcdef");

        await CallAsync(client, call);

        var sent = SingleRequest();
        Assert.True(sent.Headers!.ContainsKey("X-API-Key"), "the header goes out as X-API-Key");
        Assert.Equal("mb_live_0123456789abcdef", sent.Header("X-API-Key"));
    }

    [Theory]
    [InlineData("anonymous")]
    [InlineData("register")]
    public async Task Without_an_api_key_no_api_key_or_authorization_header_is_sent(string call)
    {
        using var client = _server.Client();

        await CallAsync(client, call);

        var sent = SingleRequest();
        Assert.Null(sent.Header("X-API-Key"));
        Assert.Null(sent.Header("Authorization"));
        Assert.Null(sent.Header("X-Project-Id"));
    }

    [Fact]
    public async Task The_body_goes_out_with_a_content_length_rather_than_chunked()
    {
        using var client = _server.Client();

        await client.Auth.RegisterAsync(Wire.NewRegisterRequest(), Wire.Ct);

        var sent = SingleRequest();
        Assert.Null(sent.Header("Transfer-Encoding"));
        Assert.Equal(sent.BodyAsBytes!.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), sent.Header("Content-Length"));
    }

    [Theory]
    [InlineData("mudbase")]
    [InlineData("mudbase/")]
    public async Task A_base_url_with_a_path_prefix_keeps_the_prefix_and_adds_no_double_slash(string prefix)
    {
        _server.Answer("/mudbase" + Wire.AnonymousPath, Wire.Json(200, Bodies.AnonymousSession()));
        using var client = new MudbaseClient(Wire.Options(new Uri(_server.BaseUrl(), prefix)));

        await client.Auth.CreateAnonymousAsync(cancellationToken: Wire.Ct);

        Assert.Equal("/mudbase" + Wire.AnonymousPath, SingleRequest().Path);
    }

    private static Task CallAsync(MudbaseClient client, string call) => call switch
    {
        "anonymous" => client.Auth.CreateAnonymousAsync(cancellationToken: Wire.Ct),
        "register" => client.Auth.RegisterAsync(Wire.NewRegisterRequest(), Wire.Ct),
        _ => throw new ArgumentOutOfRangeException(nameof(call)),
    };

    [GeneratedRegex(@"^mudbase-dotnet/\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$")]
    private static partial Regex UserAgentPattern();
}
