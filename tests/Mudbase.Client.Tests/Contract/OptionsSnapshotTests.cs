using System.Text.Json;
using Mudbase.Tests.Support;
using WireMock.Server;

namespace Mudbase.Tests.Contract;

/// <summary>A client copies its options when built: later changes to the caller's object change nothing.</summary>
public sealed class OptionsSnapshotTests : IDisposable
{
    private readonly WireMockServer _original = Wire.StartServer();
    private readonly WireMockServer _other = Wire.StartServer();

    public OptionsSnapshotTests()
    {
        _original.AnswerAll(Wire.Json(200, Bodies.AnonymousSession()));
        _other.AnswerAll(Wire.Json(200, Bodies.AnonymousSession()));
    }

    public void Dispose()
    {
        _original.Dispose();
        _other.Dispose();
    }

    [Fact]
    public async Task Changing_BaseUrl_ProjectId_and_ApiKey_after_building_the_client_changes_nothing_on_the_wire()
    {
        var options = Wire.Options(_original.BaseUrl(), o => o.ApiKey = "ak_original");
        using var client = new MudbaseClient(options);

        options.BaseUrl = _other.BaseUrl();
        options.ProjectId = Wire.OtherProjectId;
        options.ApiKey = "ak_changed";
        await client.Auth.CreateAnonymousAsync(cancellationToken: Wire.Ct);

        Assert.Empty(_other.Requests());
        var sent = Assert.Single(_original.Requests());
        Assert.Equal("ak_original", sent.Header("X-API-Key"));
        using var body = JsonDocument.Parse(sent.Body!);
        Assert.Equal(Wire.ProjectId, body.RootElement.GetProperty("projectId").GetString());
    }

    [Fact]
    public async Task Changing_the_project_id_after_building_does_not_change_what_register_sends()
    {
        var options = Wire.Options(_original.BaseUrl());
        using var client = new MudbaseClient(options);

        options.ProjectId = null;
        await client.Auth.RegisterAsync(Wire.NewRegisterRequest(), Wire.Ct);

        using var body = JsonDocument.Parse(Assert.Single(_original.Requests()).Body!);
        Assert.Equal(Wire.ProjectId, body.RootElement.GetProperty("projectId").GetString());
    }

    [Fact]
    public async Task Changing_the_retry_settings_after_building_does_not_change_how_often_the_client_retries()
    {
        _original.Reset();
        _original.AnswerAll(Wire.Json(503, "{}").WithHeader("Retry-After", "0"));
        var options = Wire.Options(_original.BaseUrl(), o => o.Retry.MaxRetries = 1);
        using var client = new MudbaseClient(options);

        options.Retry.MaxRetries = 5;
        options.Retry = new MudbaseRetryOptions { MaxRetries = 7 };
        await Errors.ExpectAsync<MudbaseServerException>(() => client.Auth.CreateAnonymousAsync(cancellationToken: Wire.Ct));

        Assert.Equal(2, _original.Requests().Count);
    }

    [Fact]
    public async Task Changing_the_timeout_after_building_does_not_shorten_calls()
    {
        var options = Wire.Options(_original.BaseUrl(), o => o.Timeout = TimeSpan.FromSeconds(30));
        using var client = new MudbaseClient(options);

        options.Timeout = TimeSpan.FromTicks(1);
        var session = await client.Auth.CreateAnonymousAsync(cancellationToken: Wire.Ct);

        Assert.Equal(Bodies.AccessToken, session.Token);
        Assert.Single(_original.Requests());
    }
}
