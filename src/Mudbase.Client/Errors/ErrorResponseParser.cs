using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Mudbase;

/// <summary>
/// Reads whatever an error answer carries (any of the live body shapes, HTML, nothing) into a
/// <see cref="MudbaseErrorInfo"/>, and picks the exception type by status.
/// </summary>
internal static partial class ErrorResponseParser
{
    /// <summary>What is kept on the exception.</summary>
    internal const int MaxKeptBodyChars = 4096;

    /// <summary>What is read to find the error fields; a larger body is not parsed (error bodies are small).</summary>
    internal const int MaxReadBodyBytes = 64 * 1024;

    public static MudbaseException CreateException(HttpResponseMessage response, ReadOnlySpan<byte> body, bool truncated, DateTimeOffset now, Exception? inner = null) =>
        CreateException(Parse(response, body, truncated, now), inner);

    /// <summary>The exception for an answer already read (an area may have reworded it first).</summary>
    public static MudbaseException CreateException(MudbaseErrorInfo info, Exception? inner = null)
    {
        return (int)(info.StatusCode ?? 0) switch
        {
            400 or 422 => new MudbaseValidationException(info, inner),
            401 => new MudbaseAuthenticationException(info, inner),
            403 => new MudbaseForbiddenException(info, inner),
            404 => new MudbaseNotFoundException(info, inner),
            409 => new MudbaseConflictException(info, inner),
            413 => new Storage.MudbaseFileTooLargeException(info, inner),
            429 => new MudbaseRateLimitException(info, inner),
            >= 500 and <= 599 => new MudbaseServerException(info, inner),
            _ => new MudbaseException(info, inner),
        };
    }

    public static MudbaseErrorInfo Parse(HttpResponseMessage response, ReadOnlySpan<byte> body, bool truncated, DateTimeOffset now)
    {
        string? message = null, code = null, bodyRequestId = null;
        JsonElement? details = null, parsed = null;
        TimeSpan? bodyRetryAfter = null;

        if (!truncated && TryParseObject(body, out var root))
        {
            parsed = root;
            message = GetString(root, "error") ?? GetString(root, "message");
            code = GetString(root, "code");
            bodyRequestId = GetString(root, "requestId");
            if (root.TryGetProperty("details", out var d) && d.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined))
            {
                details = d;
            }
            else if (message is null)
            {
                // Permission answers carry no error text ({"userRole":…}, {"required":[…]}): the body is the detail.
                details = root;
            }

            if (root.TryGetProperty("retryAfter", out var ra) && TryGetSeconds(ra, out var seconds))
            {
                bodyRetryAfter = seconds;
            }
        }

        var headers = response.Headers;
        var rateLimit = ReadRateLimit(headers);
        var headerRetryAfter = RetryAfterFromHeader(headers, now);
        var (retryAfter, source) = headerRetryAfter is not null ? (headerRetryAfter, RetryAfterSource.Header)
            : bodyRetryAfter is not null ? (bodyRetryAfter, RetryAfterSource.Body)
            : rateLimit?.Reset is { } reset ? (reset, RetryAfterSource.RateLimitReset)
            : ((TimeSpan?)null, (RetryAfterSource?)null);
        return new MudbaseErrorInfo
        {
            StatusCode = response.StatusCode,
            ReasonPhrase = response.ReasonPhrase,
            ServerMessage = message,
            ErrorCode = code,
            Details = details,
            RequestId = bodyRequestId ?? GetHeader(headers, "x-request-id"),
            RetryAfter = retryAfter,
            RetryAfterSource = source,
            RateLimit = rateLimit,
            ResponseBody = KeepBody(body, truncated),
            Body = parsed,
        };
    }

    /// <summary>The <c>Retry-After</c> header, in seconds or as an HTTP date.</summary>
    public static TimeSpan? RetryAfterFromHeader(HttpResponseHeaders headers, DateTimeOffset now)
    {
        var value = headers.RetryAfter;
        if (value?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (value?.Date is { } date)
        {
            var wait = date - now;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    public static RateLimitInfo? ReadRateLimit(HttpResponseHeaders headers)
    {
        var limit = GetInt(headers, "ratelimit-limit");
        var remaining = GetInt(headers, "ratelimit-remaining");
        var reset = GetInt(headers, "ratelimit-reset");
        var policy = GetHeader(headers, "ratelimit-policy");
        if (limit is null && remaining is null && reset is null && policy is null)
        {
            return null;
        }

        return new RateLimitInfo(limit, remaining, reset is { } r ? TimeSpan.FromSeconds(Math.Max(0, r)) : null, policy);
    }

    internal static string? GetHeader(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static int? GetInt(HttpResponseHeaders headers, string name) =>
        int.TryParse(GetHeader(headers, name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static bool TryParseObject(ReadOnlySpan<byte> body, out JsonElement root)
    {
        root = default;
        var trimmed = body.TrimStart("\uFEFF"u8).TrimStart(" \t\r\n"u8);
        if (trimmed.IsEmpty || trimmed[0] != (byte)'{')
        {
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 64 });
            if (!JsonElement.TryParseValue(ref reader, out var element) || element is not { ValueKind: JsonValueKind.Object } obj)
            {
                return false;
            }

            root = obj;
            return true;
        }
        catch (JsonException)
        {
            // Not JSON after all (a proxy page, a cut body): the status decides alone.
            return false;
        }
    }

    private static string? GetString(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool TryGetSeconds(JsonElement value, out TimeSpan seconds)
    {
        seconds = default;
        double n;
        if (value.ValueKind == JsonValueKind.Number)
        {
            n = value.GetDouble();
        }
        else if (value.ValueKind != JsonValueKind.String ||
                 !double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out n))
        {
            return false;
        }

        if (double.IsNaN(n) || n < 0 || n > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            return false;
        }

        seconds = TimeSpan.FromSeconds(n);
        return true;
    }

    private static string? KeepBody(ReadOnlySpan<byte> body, bool truncated)
    {
        if (body.IsEmpty)
        {
            return truncated ? "" : null;
        }

        // Mask before cutting, so a secret is never half shown; then mask one left open at the end, by our cut or
        // by an answer that stopped in the middle of it.
        var text = SecretFields().Replace(Encoding.UTF8.GetString(body), "$1***\"");
        if (text.Length > MaxKeptBodyChars)
        {
            text = text[..(char.IsHighSurrogate(text[MaxKeptBodyChars - 1]) ? MaxKeptBodyChars - 1 : MaxKeptBodyChars)];
        }

        return OpenSecretAtEnd().Replace(text, "$1***");
    }

    /// <summary>A JSON string value of a field that may hold a secret.</summary>
    private const string SecretFieldsPattern = "(\"(?:token|refreshToken|accessToken|idToken|password|newPassword|currentPassword|apiKey|secret|manualEntryKey|qrCode|totpToken|otp)\"\\s*:\\s*\")(?:[^\"\\\\]|\\\\.)*\"";

    /// <summary>A secret field whose value runs to the end of the text (left open by a cut).</summary>
    private const string OpenSecretAtEndPattern = "(\"(?:token|refreshToken|accessToken|idToken|password|newPassword|currentPassword|apiKey|secret|manualEntryKey|qrCode|totpToken|otp)\"\\s*:\\s*\")[^\"]*$";

    private const RegexOptions SecretRegexOptions = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;

    // Generated at build time on .NET; Polyfills/GeneratedRegex.cs builds them from the same patterns on .NET Framework.
    [GeneratedRegex(SecretFieldsPattern, SecretRegexOptions)]
    private static partial Regex SecretFields();

    [GeneratedRegex(OpenSecretAtEndPattern, SecretRegexOptions)]
    private static partial Regex OpenSecretAtEnd();
}
