using System.Net;
using System.Text.Json;

namespace Mudbase;

/// <summary>Where a wait came from: only a Retry-After header or a body <c>retryAfter</c> is the server naming when to come back.</summary>
internal enum RetryAfterSource
{
    Header,
    Body,
    RateLimitReset,
}

/// <summary>What an answer told us about a failure; the exception constructors take it whole.</summary>
internal sealed class MudbaseErrorInfo
{
    public HttpStatusCode? StatusCode { get; init; }
    public string? ReasonPhrase { get; init; }
    public string? ServerMessage { get; init; }
    public string? ErrorCode { get; init; }
    public JsonElement? Details { get; init; }
    public string? RequestId { get; init; }
    public TimeSpan? RetryAfter { get; init; }
    public RetryAfterSource? RetryAfterSource { get; init; }
    public RateLimitInfo? RateLimit { get; init; }
    public string? ResponseBody { get; init; }

    /// <summary>The body's root object, when it was one: the area-specific facts (permissions, clashes) are read from it.</summary>
    public JsonElement? Body { get; init; }

    /// <summary>The same facts with another text: an area's wording for a refusal the server leaves unexplained.</summary>
    public MudbaseErrorInfo WithServerMessage(string message) => new()
    {
        StatusCode = StatusCode,
        ReasonPhrase = ReasonPhrase,
        ServerMessage = message,
        ErrorCode = ErrorCode,
        Details = Details,
        RequestId = RequestId,
        RetryAfter = RetryAfter,
        RetryAfterSource = RetryAfterSource,
        RateLimit = RateLimit,
        ResponseBody = ResponseBody,
        Body = Body,
    };

    /// <summary><c>HTTP 429 RATE_LIMITED: Too many requests (request id r-123)</c>.</summary>
    public string FormatMessage()
    {
        var text = ServerMessage;
        if (string.IsNullOrWhiteSpace(text))
        {
            text = !string.IsNullOrWhiteSpace(ReasonPhrase) ? ReasonPhrase
                : StatusCode is { } s ? s.ToString() : "Unknown error";
        }

        var detail = DescribeDetails(Details) + DescribeFacts(Body);
        var status = StatusCode is { } code ? ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture) : "(no status)";
        var errorCode = string.IsNullOrEmpty(ErrorCode) ? "" : " " + ErrorCode;
        var requestId = string.IsNullOrEmpty(RequestId) ? "" : $" (request id {RequestId})";
        return $"HTTP {status}{errorCode}: {text}{detail}{requestId}";
    }

    /// <summary>What a permission refusal needed and a clash collided on, said in the message (the properties carry them too).</summary>
    private static string DescribeFacts(JsonElement? body)
    {
        if (body is not { } root)
        {
            return "";
        }

        var facts = new ErrorFacts(root);
        if (facts.RequiredAction is { } action)
        {
            return $": needs {action} on {facts.RequiredCollection ?? "the collection"}{RoleSuffix(facts)}";
        }

        if (facts.RequiredRoles is { Count: > 0 } roles)
        {
            return $": needs one of the roles {string.Join(", ", roles)}{RoleSuffix(facts)}";
        }

        return facts.ConflictField is { } field ? $": {field} is already taken" : "";
    }

    private static string RoleSuffix(ErrorFacts facts) =>
        facts.UserRole is null && facts.CustomRole is null ? ""
            : $" (role {facts.UserRole ?? "?"}{(facts.CustomRole is null ? "" : ", custom role " + facts.CustomRole)})";

    /// <summary>Validation details are what a developer needs to fix the call, so short text details join the message.</summary>
    private static string DescribeDetails(JsonElement? details)
    {
        if (details is not { } d)
        {
            return "";
        }

        if (d.ValueKind == JsonValueKind.String)
        {
            return ": " + d.GetString();
        }

        if (d.ValueKind != JsonValueKind.Array)
        {
            return "";
        }

        var parts = new List<string>();
        foreach (var item in d.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String && parts.Count < 5)
            {
                parts.Add(item.GetString()!);
            }
        }

        return parts.Count == 0 ? "" : ": " + string.Join("; ", parts);
    }
}

/// <summary>
/// The facts some error bodies carry beyond their text: a permission refusal's <c>required</c> (an action and a collection, or a
/// list of roles), <c>userRole</c>/<c>current</c> and <c>customRole</c>; a unique clash's <c>field</c> and <c>value</c>.
/// </summary>
internal readonly struct ErrorFacts
{
    public ErrorFacts(JsonElement? body)
    {
        if (body is not { ValueKind: JsonValueKind.Object } root)
        {
            return;
        }

        if (root.TryGetProperty("required", out var required))
        {
            if (required.ValueKind == JsonValueKind.Object)
            {
                RequiredAction = String(required, "action");
                RequiredCollection = String(required, "collection");
            }
            else if (required.ValueKind == JsonValueKind.Array)
            {
                var roles = new List<string>();
                foreach (var item in required.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.String)
                    {
                        roles.Add(item.GetString()!);
                    }
                }

                RequiredRoles = roles;
            }
        }

        UserRole = String(root, "userRole") ?? String(root, "current");
        if (root.TryGetProperty("maxFileUploadBytes", out var max) && max.ValueKind == JsonValueKind.Number && max.TryGetInt64(out var bytes))
        {
            MaxFileUploadBytes = bytes;
        }

        CustomRole = String(root, "customRole");
        if (root.TryGetProperty("field", out var field) && field.ValueKind == JsonValueKind.String)
        {
            ConflictField = field.GetString();
            ConflictValue = root.TryGetProperty("value", out var value) ? value.Clone() : null;
        }
    }

    public string? RequiredAction { get; }
    public string? RequiredCollection { get; }
    public IReadOnlyList<string>? RequiredRoles { get; }
    public string? UserRole { get; }
    public string? CustomRole { get; }
    public string? ConflictField { get; }
    public JsonElement? ConflictValue { get; }
    public long? MaxFileUploadBytes { get; }

    private static string? String(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
