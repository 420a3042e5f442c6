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

    /// <summary><c>HTTP 429 RATE_LIMITED: Too many requests (request id r-123)</c>.</summary>
    public string FormatMessage()
    {
        var text = ServerMessage;
        if (string.IsNullOrWhiteSpace(text))
        {
            text = !string.IsNullOrWhiteSpace(ReasonPhrase) ? ReasonPhrase
                : StatusCode is { } s ? s.ToString() : "Unknown error";
        }

        var detail = DescribeDetails(Details);
        var status = StatusCode is { } code ? ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture) : "(no status)";
        var errorCode = string.IsNullOrEmpty(ErrorCode) ? "" : " " + ErrorCode;
        var requestId = string.IsNullOrEmpty(RequestId) ? "" : $" (request id {RequestId})";
        return $"HTTP {status}{errorCode}: {text}{detail}{requestId}";
    }

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
