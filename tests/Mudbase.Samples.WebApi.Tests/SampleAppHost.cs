using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Mudbase.Emulator;

namespace Mudbase.Samples.WebApi.Tests;

/// <summary>
/// The sample, started in-process as <c>dotnet run</c> starts it (appsettings.json, its embedded emulator), but on a
/// free loopback port and without console telemetry. Requests go over real HTTP.
/// </summary>
public sealed class SampleAppHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SampleAppHost(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>The emulator the sample started, to read what Mudbase saw.</summary>
    public MudbaseEmulator Emulator => _app.Services.GetRequiredService<MudbaseEmulator>();

    /// <param name="settings">Further settings, as command-line arguments (<c>--Section:Key=value</c>).</param>
    public static async Task<SampleAppHost> StartAsync(params string[] settings)
    {
        string[] args = ["--urls=http://127.0.0.1:0", "--Telemetry:ConsoleExporter=false", "--Logging:LogLevel:Default=Warning", .. settings];
        var app = await SampleApp.BuildAsync(args);
        try
        {
            await app.StartAsync(TestContext.Current.CancellationToken);
            return new SampleAppHost(app, new Uri(app.Urls.Single()));
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>An HTTP client of its own for one user of the API, as their browser or app would have.</summary>
    public HttpClient ClientFor(string user)
    {
        var http = new HttpClient { BaseAddress = BaseAddress };
        http.DefaultRequestHeaders.Add("X-Sample-User", user);
        return http;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}

/// <summary>One started sample shared by a test class; each test uses user names and emails of its own.</summary>
public sealed class SampleAppFixture : IAsyncLifetime
{
    public SampleAppHost Host { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Host = await SampleAppHost.StartAsync();

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}

/// <summary>What <c>/signup</c>, <c>/login</c> and <c>/me</c> answer, as read off the wire.</summary>
public sealed record MeAnswer(string User, string MudbaseUserId, string Email);

public static class Api
{
    public const string Password = "Str0ng_Pass!w0rd";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A user name and an email address no other test uses.</summary>
    public static (string User, string Email) NewUser(string name)
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        return ($"{name}-{id}", $"{name}.{id}@northwind.dev");
    }

    public static Task<HttpResponseMessage> SignUpAsync(this HttpClient http, string email) =>
        http.PostAsJsonAsync("/signup", new { email, password = Password, firstName = "Sample", lastName = "User" }, Ct);

    public static Task<HttpResponseMessage> LogInAsync(this HttpClient http, string email, string password = Password) =>
        http.PostAsJsonAsync("/login", new { email, password }, Ct);

    public static Task<HttpResponseMessage> MeAsync(this HttpClient http) => http.GetAsync("/me", Ct);

    public static Task<HttpResponseMessage> LogOutAsync(this HttpClient http) => http.PostAsync("/logout", null, Ct);

    /// <summary>The answer's body, after checking its status.</summary>
    public static async Task<MeAnswer> ReadMeAsync(this HttpResponseMessage response, System.Net.HttpStatusCode expected = System.Net.HttpStatusCode.OK)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == expected, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.AbsolutePath} answered {(int)response.StatusCode}, not {(int)expected}: {body}");
        return System.Text.Json.JsonSerializer.Deserialize<MeAnswer>(body, System.Text.Json.JsonSerializerOptions.Web)!;
    }
}
