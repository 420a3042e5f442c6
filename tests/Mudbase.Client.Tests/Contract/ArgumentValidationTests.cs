using Mudbase.Auth;
using Mudbase.Tests.Support;
using WireMock.Server;

namespace Mudbase.Tests.Contract;

/// <summary>Bad arguments fail before anything is sent, and name the field at fault.</summary>
public sealed class ArgumentValidationTests : IDisposable
{
    private readonly WireMockServer _server = Wire.StartServer();

    public ArgumentValidationTests() => _server.AnswerAll(Wire.Json(200, Bodies.AnonymousSession()));

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task Register_with_a_null_request_throws_ArgumentNullException_and_sends_nothing()
    {
        using var client = _server.Client();

        var ex = await Assert.ThrowsAsync<ArgumentNullException>(() => client.Auth.RegisterAsync(null!, Wire.Ct));

        Assert.Equal("request", ex.ParamName);
        Assert.Empty(_server.Requests());
    }

    public static TheoryData<string, string?> BlankRegisterFields()
    {
        var data = new TheoryData<string, string?>();
        foreach (var field in new[] { "Email", "Password", "FirstName", "LastName" })
        {
            data.Add(field, null);
            data.Add(field, "");
            data.Add(field, "   ");
            data.Add(field, "\t\n");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(BlankRegisterFields))]
    public async Task Register_with_a_missing_or_blank_field_throws_naming_the_field_and_sends_nothing(string field, string? value)
    {
        using var client = _server.Client();
        var request = Wire.NewRegisterRequest();
        switch (field)
        {
            case "Email": request.Email = value!; break;
            case "Password": request.Password = value!; break;
            case "FirstName": request.FirstName = value!; break;
            case "LastName": request.LastName = value!; break;
        }

        var ex = await Assert.ThrowsAnyAsync<ArgumentException>(() => client.Auth.RegisterAsync(request, Wire.Ct));

        Assert.Equal($"request.{field}", ex.ParamName);
        if (value is null)
        {
            Assert.IsType<ArgumentNullException>(ex);
        }

        Assert.Empty(_server.Requests());
    }

    [Fact]
    public async Task Register_without_a_project_id_in_the_request_or_the_options_throws_and_sends_nothing()
    {
        using var client = _server.Client(o => o.ProjectId = null);

        var ex = await Assert.ThrowsAnyAsync<ArgumentException>(() => client.Auth.RegisterAsync(Wire.NewRegisterRequest(projectId: null), Wire.Ct));

        Assert.Equal("request.ProjectId", ex.ParamName);
        Assert.Contains("MudbaseClientOptions.ProjectId", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_server.Requests());
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public async Task Register_with_a_blank_project_id_throws_even_when_the_options_have_one(string projectId)
    {
        using var client = _server.Client();

        var ex = await Assert.ThrowsAnyAsync<ArgumentException>(() => client.Auth.RegisterAsync(Wire.NewRegisterRequest(projectId), Wire.Ct));

        Assert.Equal("request.ProjectId", ex.ParamName);
        Assert.Empty(_server.Requests());
    }

    [Theory]
    [InlineData("ProjectId", "")]
    [InlineData("ProjectId", "  ")]
    [InlineData("DeviceId", "")]
    [InlineData("DeviceId", "\t")]
    public async Task Anonymous_sign_in_with_a_blank_field_throws_naming_the_field_and_sends_nothing(string field, string value)
    {
        using var client = _server.Client();
        var request = field == "ProjectId" ? new CreateAnonymousRequest { ProjectId = value } : new CreateAnonymousRequest { DeviceId = value };

        var ex = await Assert.ThrowsAnyAsync<ArgumentException>(() => client.Auth.CreateAnonymousAsync(request, Wire.Ct));

        Assert.Equal($"request.{field}", ex.ParamName);
        Assert.Empty(_server.Requests());
    }

    [Fact]
    public async Task Anonymous_sign_in_with_a_null_request_is_allowed_and_sends_one_request()
    {
        using var client = _server.Client();

        var session = await client.Auth.CreateAnonymousAsync(null, Wire.Ct);

        Assert.Equal(Bodies.AccessToken, session.Token);
        Assert.Single(_server.Requests());
    }

    // ---- options ----

    [Theory]
    [InlineData("Timeout zero", "Timeout")]
    [InlineData("Timeout negative", "Timeout")]
    [InlineData("Timeout over a day", "Timeout")]
    [InlineData("MaxRetries -1", "Retry.MaxRetries")]
    [InlineData("MaxRetries 11", "Retry.MaxRetries")]
    [InlineData("MaxDelay below BaseDelay", "Retry.MaxDelay")]
    [InlineData("BaseDelay negative", "Retry.BaseDelay")]
    [InlineData("MaxRetryAfter negative", "Retry.MaxRetryAfter")]
    [InlineData("Retry null", "Retry")]
    [InlineData("BaseUrl relative", "BaseUrl")]
    [InlineData("BaseUrl null", "BaseUrl")]
    [InlineData("BaseUrl ftp", "BaseUrl")]
    [InlineData("BaseUrl with a query", "BaseUrl")]
    [InlineData("BaseUrl http to a remote host", "AllowInsecureHttp")]
    [InlineData("ApiKey empty", "ApiKey")]
    [InlineData("ApiKey whitespace", "ApiKey")]
    [InlineData("ApiKey with a line break", "ApiKey")]
    [InlineData("ProjectId whitespace", "ProjectId")]
    public void Invalid_options_make_the_constructor_throw_naming_the_option(string problem, string optionName)
    {
        var options = Wire.Options(new Uri("https://cloud.mudbase.dev/"));
        switch (problem)
        {
            case "Timeout zero": options.Timeout = TimeSpan.Zero; break;
            case "Timeout negative": options.Timeout = TimeSpan.FromSeconds(-5); break;
            case "Timeout over a day": options.Timeout = TimeSpan.FromDays(2); break;
            case "MaxRetries -1": options.Retry.MaxRetries = -1; break;
            case "MaxRetries 11": options.Retry.MaxRetries = 11; break;
            case "MaxDelay below BaseDelay": options.Retry.BaseDelay = TimeSpan.FromSeconds(2); options.Retry.MaxDelay = TimeSpan.FromSeconds(1); break;
            case "BaseDelay negative": options.Retry.BaseDelay = TimeSpan.FromSeconds(-1); break;
            case "MaxRetryAfter negative": options.Retry.MaxRetryAfter = TimeSpan.FromSeconds(-1); break;
            case "Retry null": options.Retry = null!; break;
            case "BaseUrl relative": options.BaseUrl = new Uri("/api", UriKind.Relative); break;
            case "BaseUrl null": options.BaseUrl = null!; break;
            case "BaseUrl ftp": options.BaseUrl = new Uri("ftp://cloud.mudbase.dev/"); break;
            case "BaseUrl with a query": options.BaseUrl = new Uri("https://cloud.mudbase.dev/?x=1"); break;
            case "BaseUrl http to a remote host": options.BaseUrl = new Uri("http://example.com/"); break;
            case "ApiKey empty": options.ApiKey = ""; break;
            case "ApiKey whitespace": options.ApiKey = "   "; break;
            case "ApiKey with a line break": options.ApiKey = "ak_live_secret\r\nX-Evil: 1"; break;
            case "ProjectId whitespace": options.ProjectId = " "; break;
            default: throw new ArgumentOutOfRangeException(nameof(problem));
        }

        var ex = Assert.Throws<ArgumentException>(() => new MudbaseClient(options));

        Assert.Equal("options", ex.ParamName);
        Assert.Contains(optionName, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("ak_live_secret", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_options_make_the_constructor_throw_ArgumentNullException()
    {
        var ex = Assert.Throws<ArgumentNullException>(() => new MudbaseClient(null!));

        Assert.Equal("options", ex.ParamName);
    }

    [Fact]
    public void Several_problems_are_all_named_in_one_message()
    {
        var options = Wire.Options(new Uri("https://cloud.mudbase.dev/"), o =>
        {
            o.Timeout = TimeSpan.Zero;
            o.Retry.MaxRetries = 99;
            o.ApiKey = "";
        });

        var ex = Assert.Throws<ArgumentException>(() => new MudbaseClient(options));

        Assert.Contains("Timeout", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Retry.MaxRetries", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ApiKey", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5555/", false)]
    [InlineData("http://localhost:5555/", false)]
    [InlineData("http://[::1]:5555/", false)]
    [InlineData("https://cloud.mudbase.dev/", false)]
    [InlineData("https://example.com/mudbase/", false)]
    [InlineData("http://example.com/", true)]
    [InlineData("http://10.0.0.5:8080/", true)]
    public void Loopback_http_https_and_explicitly_allowed_insecure_http_are_accepted(string baseUrl, bool allowInsecureHttp)
    {
        var options = Wire.Options(new Uri(baseUrl), o => o.AllowInsecureHttp = allowInsecureHttp);

        using var client = new MudbaseClient(options);

        Assert.Equal(new Uri(baseUrl), client.Options.BaseUrl);
        Assert.Equal(allowInsecureHttp, client.Options.AllowInsecureHttp);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    public void MaxRetries_at_either_limit_is_accepted(int maxRetries)
    {
        using var client = new MudbaseClient(Wire.Options(new Uri("https://cloud.mudbase.dev/"), o => o.Retry.MaxRetries = maxRetries));

        Assert.Equal(maxRetries, client.Options.Retry.MaxRetries);
    }

    [Fact]
    public void An_infinite_timeout_is_accepted()
    {
        using var client = new MudbaseClient(Wire.Options(new Uri("https://cloud.mudbase.dev/"), o => o.Timeout = Timeout.InfiniteTimeSpan));

        Assert.Equal(Timeout.InfiniteTimeSpan, client.Options.Timeout);
    }

    [Fact]
    public void The_default_constructor_targets_the_hosted_service()
    {
        using var client = new MudbaseClient();

        Assert.Equal(new Uri("https://cloud.mudbase.dev/"), client.Options.BaseUrl);
        Assert.Null(client.Options.ApiKey);
    }
}
