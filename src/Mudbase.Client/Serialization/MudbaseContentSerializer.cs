using System.Net.Http.Headers;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Refit;

namespace Mudbase.Serialization;

/// <summary>
/// Refit's body serializer over <see cref="MudbaseJsonContext"/>. Synchronous, so Refit sends a buffered body
/// with a Content-Length (re-sendable on retry, no chunked push stream), and each type's metadata is looked up once.
/// </summary>
internal sealed class MudbaseContentSerializer : IHttpContentSerializer, ISynchronousContentSerializer
{
    public static readonly MudbaseContentSerializer Instance = new();

    public HttpContent ToHttpContent<T>(T item) => ToHttpContentSynchronous(item);

    public HttpContent ToStreamingHttpContent<T>(T item) => ToHttpContentSynchronous(item);

    public HttpContent ToHttpContentSynchronous<T>(T item) => ToJsonContent(item, TypeInfoCache<T>.Value);

    /// <summary>A JSON body in memory, with its length: re-sendable on retry, never chunked. Also for the caller's own types.</summary>
    public static HttpContent ToJsonContent<T>(T item, JsonTypeInfo<T> typeInfo)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(item, typeInfo));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }

    public async Task<T?> FromHttpContentAsync<T>(HttpContent content, CancellationToken cancellationToken = default)
    {
        // The stream is the content's (buffered) own: disposing it here would leave nothing for the error mapping to show.
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        return await JsonSerializer.DeserializeAsync(stream, TypeInfoCache<T>.Value, cancellationToken).ConfigureAwait(false)
            ?? throw new JsonException("The answer was the JSON literal null where an object was expected.");
    }

    public string? GetFieldNameForProperty(PropertyInfo propertyInfo) =>
        propertyInfo.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(propertyInfo.Name);

    private static class TypeInfoCache<T>
    {
        public static readonly JsonTypeInfo<T> Value =
            MudbaseJsonContext.Default.GetTypeInfo(typeof(T)) as JsonTypeInfo<T>
            ?? throw new NotSupportedException($"{typeof(T)} is not registered in {nameof(MudbaseJsonContext)}.");
    }
}
