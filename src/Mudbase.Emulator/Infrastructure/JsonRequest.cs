using System.Text.Json;

namespace Mudbase.Emulator.Infrastructure;

/// <summary>Reads request bodies the way the hosted service's JSON parser does.</summary>
internal static class JsonRequest
{
    /// <summary>
    /// Reads the body as a JSON object. An empty body counts as <c>{}</c>, so the endpoint's own
    /// validation names the missing fields; anything else that is not a JSON object, or is not
    /// sent as JSON, gives <see langword="null"/> (the caller answers "Invalid JSON").
    /// </summary>
    public static async Task<JsonElement?> ReadObjectAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted).ConfigureAwait(false);
        if (buffer.Length == 0)
        {
            return Parse("{}"u8.ToArray());
        }

        if (!request.HasJsonContentType())
        {
            return null;
        }

        try
        {
            var body = Parse(buffer.ToArray());
            return body.ValueKind == JsonValueKind.Object ? body : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // Clone detaches the element from the pooled document, which can then be returned.
    private static JsonElement Parse(byte[] utf8Json)
    {
        using var document = JsonDocument.Parse(utf8Json);
        return document.RootElement.Clone();
    }
}
