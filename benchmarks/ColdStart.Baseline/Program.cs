// Cold start, hand-written side: the same call with one HttpClient, PostAsJsonAsync and a source-generated context.
// Usage: ColdStart.Baseline [base URL]   (default $MUDBASE_BASE_URL, else http://127.0.0.1:18899/); COLDSTART_REPORT=1 prints JIT figures, COLDSTART_JITLOG=1 the JIT time by namespace.
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

ColdStart.StartupReport.StartIfAsked();
var url = args.Length > 0 ? args[0] : Environment.GetEnvironmentVariable("MUDBASE_BASE_URL") ?? "http://127.0.0.1:18899/";
var projectId = Environment.GetEnvironmentVariable("MUDBASE_PROJECT_ID") ?? "685ad30be129932fbb7a1048";

using var http = new HttpClient { BaseAddress = new Uri(url) };
http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
http.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", "mudbase-dotnet/0.1.0");
using var response = await http.PostAsJsonAsync("api/auth/anonymous", new AnonymousBody { ProjectId = projectId }, WireContext.Default.AnonymousBody);
response.EnsureSuccessStatusCode();
var session = (await response.Content.ReadFromJsonAsync(WireContext.Default.WireSession))!;

ColdStart.StartupReport.PrintIfAsked("baseline", session.User.Id);
return string.IsNullOrEmpty(session.Token) ? 1 : 0;

internal sealed class AnonymousBody
{
    public string? ProjectId { get; init; }
    public string? DeviceId { get; init; }
}

internal sealed class WireUser
{
    public string Id { get; init; } = "";
    public string? Email { get; init; }
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public string? Role { get; init; }
    public string? CustomRole { get; init; }
    public bool? IsAnonymous { get; init; }
}

internal sealed class WireSession
{
    public string? Message { get; init; }
    public required string Token { get; init; }
    public required string RefreshToken { get; init; }
    public int ExpiresIn { get; init; }
    public required WireUser User { get; init; }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AnonymousBody))]
[JsonSerializable(typeof(WireSession))]
internal sealed partial class WireContext : JsonSerializerContext;
