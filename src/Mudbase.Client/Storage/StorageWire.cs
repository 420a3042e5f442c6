using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Mudbase.Data;
using Mudbase.Serialization;

namespace Mudbase.Storage;

// The shapes on the wire (CONTRACT.md and EVIDENCE.md, Storage), read leniently: names are matched without regard to case
// (so fileName/filename and mimetype/mimeType are one member each), and what the SDK does not know is kept.

/// <summary>A file in either live shape: an upload's <c>{id, originalName, fileName, size, mimetype, url, isPublic, uploadedAt}</c> or FileMetadata.</summary>
internal sealed class FileWire
{
    [JsonPropertyName("_id")]
    public string? MongoId { get; set; }

    public string? Id { get; set; }

    public string? OriginalName { get; set; }

    public string? FileName { get; set; }

    public string? MimeType { get; set; }

    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
    public long? Size { get; set; }

    public string? Url { get; set; }

    public string? PublicUrl { get; set; }

    public bool? IsPublic { get; set; }

    /// <summary>The bucket's id or name, or the bucket itself when populated.</summary>
    public JsonNode? Bucket { get; set; }

    public JsonNode? ProjectId { get; set; }

    public JsonNode? UploadedBy { get; set; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? UploadedAt { get; set; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? CreatedAt { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unmapped { get; set; }
}

/// <summary>A bucket list: <c>{success, buckets:[…], pagination}</c>.</summary>
internal sealed class BucketListAnswer : IJsonOnDeserialized
{
    public List<BucketWire?>? Buckets { get; set; }

    public PaginationWire? Pagination { get; set; }

    void IJsonOnDeserialized.OnDeserialized()
    {
        if (Buckets is null)
        {
            throw new JsonException("The list answer has no 'buckets' array.");
        }
    }
}

/// <summary>A file list: <c>{files:[…], pagination}</c>, or the flat <c>{files, total, page, limit}</c> of the spec's example.</summary>
internal sealed class FileListAnswer : IJsonOnDeserialized
{
    public List<FileWire?>? Files { get; set; }

    public PaginationWire? Pagination { get; set; }

    public long? Total { get; set; }

    public int? Page { get; set; }

    public int? Limit { get; set; }

    void IJsonOnDeserialized.OnDeserialized()
    {
        if (Files is null)
        {
            throw new JsonException("The list answer has no 'files' array.");
        }
    }
}

/// <summary>A bucket: <c>{_id, name, projectId, isPublic, settings, createdAt, updatedAt}</c> (<c>project</c> and <c>id</c> accepted).</summary>
internal sealed class BucketWire
{
    [JsonPropertyName("_id")]
    public string? MongoId { get; set; }

    public string? Id { get; set; }

    public string? Name { get; set; }

    public JsonNode? ProjectId { get; set; }

    public JsonNode? Project { get; set; }

    public bool? IsPublic { get; set; }

    public JsonNode? Settings { get; set; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? CreatedAt { get; set; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? UpdatedAt { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unmapped { get; set; }
}

/// <summary>One bucket: <c>{success, message, bucket}</c>.</summary>
internal sealed class BucketAnswer : IJsonOnDeserialized
{
    public BucketWire? Bucket { get; set; }

    void IJsonOnDeserialized.OnDeserialized()
    {
        if (Bucket is null)
        {
            throw new JsonException("The answer has no 'bucket'.");
        }
    }
}

/// <summary>A signed or download URL: <c>{success, url, expiresAt, expiresIn}</c>, <c>signedUrl</c> for <c>url</c>, or a public file's <c>url</c> and <c>warning</c>.</summary>
internal sealed class SignedUrlAnswer : IJsonOnDeserialized
{
    public string? Url { get; set; }

    public string? SignedUrl { get; set; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? ExpiresAt { get; set; }

    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
    public double? ExpiresIn { get; set; }

    public string? Warning { get; set; }

    void IJsonOnDeserialized.OnDeserialized()
    {
        if (string.IsNullOrWhiteSpace(Url ?? SignedUrl))
        {
            throw new JsonException("The answer has neither 'url' nor 'signedUrl'.");
        }
    }
}

/// <summary>
/// A direct upload's first step: <c>{key, url, method:"PUT", headers, expiresIn, maxFileUploadBytes}</c>, or the older
/// <c>{key, url, fields}</c> (an S3 POST form).
/// </summary>
internal sealed class PresignAnswer : IJsonOnDeserialized
{
    public string? Key { get; set; }

    public string? Url { get; set; }

    public string? Method { get; set; }

    public Dictionary<string, string>? Headers { get; set; }

    public Dictionary<string, string>? Fields { get; set; }

    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
    public long? MaxFileUploadBytes { get; set; }

    /// <summary>PUT the bytes when the answer says PUT or names headers; else POST a form when it names fields.</summary>
    public bool IsPut => string.Equals(Method, "PUT", StringComparison.OrdinalIgnoreCase) || (Headers is not null && Fields is null);

    void IJsonOnDeserialized.OnDeserialized()
    {
        if (string.IsNullOrWhiteSpace(Key) || string.IsNullOrWhiteSpace(Url))
        {
            throw new JsonException("The presigned answer has no 'key' or no 'url'.");
        }

        if (!IsPut && Fields is null)
        {
            throw new JsonException("The presigned answer says neither how to PUT ('method', 'headers') nor what to POST ('fields').");
        }
    }
}

/// <summary>A signed URL's answer as a download needs it: <c>url</c> (or <c>signedUrl</c>) alone, its other members passed over.</summary>
internal sealed class DownloadSignAnswer : IJsonOnDeserialized
{
    public string? Url { get; set; }

    public string? SignedUrl { get; set; }

    void IJsonOnDeserialized.OnDeserialized()
    {
        if (string.IsNullOrWhiteSpace(Url ?? SignedUrl))
        {
            throw new JsonException("The answer has neither 'url' nor 'signedUrl'.");
        }
    }
}

/// <summary>A direct upload's last step: <c>{fileId, status, scan}</c> or <c>{message, fileId}</c>.</summary>
internal sealed class ConfirmAnswer : IJsonOnDeserialized
{
    public string? FileId { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unmapped { get; set; }

    void IJsonOnDeserialized.OnDeserialized()
    {
        if (string.IsNullOrWhiteSpace(FileId))
        {
            throw new JsonException("The confirm answer has no 'fileId'.");
        }
    }
}

/// <summary>A bucket's create and update body: absent members are omitted.</summary>
internal sealed class BucketBody
{
    public string? Name { get; init; }

    public bool? IsPublic { get; init; }

    public JsonObject? Settings { get; init; }
}

internal sealed class SignedUrlBody
{
    public int ExpiresIn { get; init; }
}

internal sealed class PresignBody
{
    public required string ProjectId { get; init; }

    public required string OriginalName { get; init; }

    public string? Bucket { get; init; }

    public string? ContentType { get; init; }

    public bool? IsPublic { get; init; }
}

internal sealed class ConfirmBody
{
    public required string Key { get; init; }

    public required string ProjectId { get; init; }

    public string? OriginalName { get; init; }

    public string? ContentType { get; init; }

    public long? Size { get; init; }

    public string? Bucket { get; init; }

    public bool? IsPublic { get; init; }
}

/// <summary>From the wire models to the public types.</summary>
internal static class StorageWire
{
    /// <summary>
    /// The files of an upload or get answer, whatever its shape (<c>{success, files:[…]}</c>, <c>{message, file}</c>,
    /// <c>{success, file}</c>, or a bare file); <paramref name="bucketId"/> is the bucket the call was on.
    /// </summary>
    public static IReadOnlyList<StoredFile> ReadFiles(ReadOnlySpan<byte> json, string bucketId)
    {
        var all = new List<StoredFile>(1);
        var first = Read(json, bucketId, all);
        return all.Count > 0 ? all : [first];
    }

    /// <summary>The one file of an answer that must hold at least one (the first of a list).</summary>
    public static StoredFile ReadFile(ReadOnlySpan<byte> json, string bucketId) => Read(json, bucketId, all: null);

    /// <summary>
    /// The first file of an answer, and every file of a list into <paramref name="all"/> when given (else the rest of the
    /// list is skipped). The envelope is walked with a reader and only the files go through the serializer: read whole, its
    /// depth cost a frame stack and a list per answer (about 600 bytes, a third of an upload's own allocations).
    /// </summary>
    private static StoredFile Read(ReadOnlySpan<byte> json, string bucketId, List<StoredFile>? all)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("The answer is not a JSON object.");
        }

        StoredFile? listed = null, file = null;
        var hasList = false;
        var hasId = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            // Matched without regard to case, as the serializer matches every other name here.
            var name = NameOf(ref reader);
            reader.Read();
            switch (name)
            {
                case EnvelopeMember.Files when reader.TokenType == JsonTokenType.StartArray:
                    (hasList, listed) = (true, null);
                    all?.Clear();
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        if (listed is not null && all is null)
                        {
                            reader.Skip();
                        }
                        else if (JsonSerializer.Deserialize(ref reader, MudbaseJsonContext.Default.FileWire) is { } wire)
                        {
                            var stored = ToFile(wire, bucketId);
                            listed ??= stored;
                            all?.Add(stored);
                        }
                    }

                    break;
                case EnvelopeMember.Files when reader.TokenType == JsonTokenType.Null:
                    (hasList, listed) = (false, null);
                    all?.Clear();
                    break;
                case EnvelopeMember.Files:
                    throw new JsonException("The answer's 'files' is not an array.");
                case EnvelopeMember.File:
                    file = JsonSerializer.Deserialize(ref reader, MudbaseJsonContext.Default.FileWire) is { } one ? ToFile(one, bucketId) : null;
                    break;
                case EnvelopeMember.Id:
                    hasId = reader.TokenType != JsonTokenType.Null;
                    reader.Skip();
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        if (reader.Read())
        {
            throw new JsonException("The answer goes on after its object.");
        }

        if (hasList)
        {
            // An upload's answer lists what it stored: none at all is no answer.
            return listed ?? throw new JsonException("The answer's 'files' is empty.");
        }

        return file
            ?? (hasId ? ToFile(Deserialize(json, MudbaseJsonContext.Default.FileWire), bucketId)
                : throw new JsonException("The answer holds no file: no 'files', no 'file', and no id at its top."));
    }

    private enum EnvelopeMember
    {
        Other,
        Files,
        File,
        Id,
    }

    /// <summary>Which envelope member the reader's property name is, ASCII case ignored; names are short, so an escaped one is unescaped first.</summary>
    private static EnvelopeMember NameOf(ref Utf8JsonReader reader)
    {
        if (reader.HasValueSequence || reader.ValueIsEscaped)
        {
            var text = reader.GetString()!;
            return text.Equals("files", StringComparison.OrdinalIgnoreCase) ? EnvelopeMember.Files
                : text.Equals("file", StringComparison.OrdinalIgnoreCase) ? EnvelopeMember.File
                : text.Equals("_id", StringComparison.OrdinalIgnoreCase) || text.Equals("id", StringComparison.OrdinalIgnoreCase) ? EnvelopeMember.Id
                : EnvelopeMember.Other;
        }

        var span = reader.ValueSpan;
        return AsciiIs(span, "files"u8) ? EnvelopeMember.Files
            : AsciiIs(span, "file"u8) ? EnvelopeMember.File
            : AsciiIs(span, "_id"u8) || AsciiIs(span, "id"u8) ? EnvelopeMember.Id
            : EnvelopeMember.Other;
    }

    /// <summary>Whether <paramref name="text"/> is <paramref name="lower"/> (lower-case ASCII letters, and '_') with its letters in any case.</summary>
    private static bool AsciiIs(ReadOnlySpan<byte> text, ReadOnlySpan<byte> lower)
    {
        if (text.Length != lower.Length)
        {
            return false;
        }

        for (var i = 0; i < text.Length; i++)
        {
            if (lower[i] is >= (byte)'a' and <= (byte)'z' ? (text[i] | 0x20) != lower[i] : text[i] != lower[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A JSON answer of an SDK type, read whole (null is not an answer).</summary>
    public static T Deserialize<T>(ReadOnlySpan<byte> json, JsonTypeInfo<T> typeInfo) =>
        JsonSerializer.Deserialize(json, typeInfo) ?? throw new JsonException("The answer was the JSON literal null.");

    public static StoredFile ToFile(FileWire wire, string bucketId) => new(
        wire.MongoId ?? wire.Id ?? throw new JsonException("A file has no '_id' or 'id'."),
        originalName: wire.OriginalName,
        fileName: wire.FileName,
        contentType: wire.MimeType,
        size: wire.Size,
        url: ToUri(wire.Url),
        isPublic: wire.IsPublic ?? false,
        bucketId: WireValues.IdOf(wire.Bucket) ?? bucketId,
        uploadedAt: WireValues.ToTime(wire.UploadedAt ?? wire.CreatedAt),
        publicUrl: ToUri(wire.PublicUrl),
        projectId: WireValues.IdOf(wire.ProjectId),
        uploadedBy: WireValues.IdOf(wire.UploadedBy),
        additionalProperties: wire.Unmapped);

    public static StorageBucket ToBucket(BucketAnswer answer) => ToBucket(answer.Bucket!);

    public static StorageBucket ToBucket(BucketWire wire) => new(
        wire.MongoId ?? wire.Id ?? throw new JsonException("A bucket has no '_id' or 'id'."),
        name: wire.Name,
        projectId: WireValues.IdOf(wire.ProjectId) ?? WireValues.IdOf(wire.Project),
        isPublic: wire.IsPublic ?? false,
        settings: wire.Settings as JsonObject,
        createdAt: WireValues.ToTime(wire.CreatedAt),
        updatedAt: WireValues.ToTime(wire.UpdatedAt),
        additionalProperties: wire.Unmapped);

    public static BucketPage ToPage(BucketListAnswer answer, (int Page, int Limit) request)
    {
        var items = answer.Buckets!.OfType<BucketWire>().Select(ToBucket).ToArray();
        var (page, limit, total, totalPages, hasMore) = PaginationWire.Resolve(answer.Pagination, request.Page, request.Limit, items.Length);
        return new BucketPage(items, page, limit, total, totalPages, hasMore);
    }

    public static FilePage ToPage(FileListAnswer answer, (string BucketId, int Page, int Limit) request)
    {
        var items = answer.Files!.OfType<FileWire>().Select(file => ToFile(file, request.BucketId)).ToArray();
        // The spec's example is flat ({files, total, page, limit}): its members are the pagination.
        var pagination = answer.Pagination ?? (answer.Total is { } total
            ? new PaginationWire { Total = total, Page = answer.Page ?? request.Page, Limit = answer.Limit ?? request.Limit }
            : null);
        var (page, limit, count, totalPages, hasMore) = PaginationWire.Resolve(pagination, request.Page, request.Limit, items.Length);
        return new FilePage(items, page, limit, count, totalPages, hasMore);
    }

    /// <summary>A signed or download URL, made absolute against the base URL when the server gives a path.</summary>
    public static SignedUrl ToSignedUrl(SignedUrlAnswer answer, Uri baseUrl) => new(
        ToAbsolute(answer.Url ?? answer.SignedUrl!, baseUrl),
        WireValues.ToTime(answer.ExpiresAt),
        answer.ExpiresIn is { } seconds and >= 0 and < int.MaxValue ? TimeSpan.FromSeconds(seconds) : null,
        answer.Warning);

    public static Uri ToAbsolute(string url, Uri baseUrl) =>
        Uri.TryCreate(baseUrl, url, out var absolute) ? absolute : throw new JsonException("The answer's URL is not a URL.");

    /// <summary>A signed URL's answer as a download reads it: the URL alone; <paramref name="state"/> is unused (a <see cref="Http.Utf8Parser{TState, TResult}"/>'s shape).</summary>
    public static string ReadSignedUrlText(ReadOnlySpan<byte> json, object? state)
    {
        var answer = Deserialize(json, MudbaseJsonContext.Default.DownloadSignAnswer);
        return answer.Url ?? answer.SignedUrl!;
    }

    /// <summary>
    /// The download route's URL for a file (<paramref name="escapedFileId"/>) with a signed URL's token, or without one when
    /// the URL has none (a public file's). A token of unreserved characters only (a JWT's) is copied as it stands, which is
    /// what unescaping and escaping it again would give; any other is unescaped and escaped again.
    /// </summary>
    public static string DownloadUrlOf(string downloadsUrl, string escapedFileId, string signedUrl)
    {
        var (start, length) = TokenRangeOf(signedUrl);
        if (start < 0)
        {
            return string.Concat(downloadsUrl, escapedFileId, "/download");
        }

        var raw = signedUrl.AsSpan(start, length);
        if (IsUnreserved(raw))
        {
#if NETFRAMEWORK
            return string.Concat(downloadsUrl, escapedFileId, "/download?token=", raw.ToString());
#else
            return string.Concat(downloadsUrl.AsSpan(), escapedFileId.AsSpan(), "/download?token=".AsSpan(), raw);
#endif
        }

        return string.Concat(downloadsUrl, escapedFileId, "/download?token=", Uri.EscapeDataString(TokenOf(signedUrl)!));
    }

    /// <summary>A signed URL's <c>token</c> query value, unescaped; null when it has none (a public file's URL).</summary>
    public static string? TokenOf(string url)
    {
        var (start, length) = TokenRangeOf(url);
        return start < 0 ? null : Uri.UnescapeDataString(url.Substring(start, length).Replace('+', ' '));
    }

    /// <summary>Where the <c>token</c> query value stands in a URL's text, as it is written; (-1, 0) when it has none.</summary>
    private static (int Start, int Length) TokenRangeOf(string url)
    {
        const string Name = "token=";
        var query = url.IndexOf('?', StringComparison.Ordinal);
        if (query < 0)
        {
            return (-1, 0);
        }

        var end = url.IndexOf('#', query);
        end = end < 0 ? url.Length : end;
        for (var at = query + 1; at < end;)
        {
            var next = url.IndexOf('&', at, end - at);
            next = next < 0 ? end : next;
            if (next - at >= Name.Length && string.CompareOrdinal(url, at, Name, 0, Name.Length) == 0)
            {
                return (at + Name.Length, next - at - Name.Length);
            }

            at = next + 1;
        }

        return (-1, 0);
    }

    /// <summary>Whether every character is one <see cref="Uri.EscapeDataString(string)"/> leaves as it is (RFC 3986's unreserved).</summary>
    private static bool IsUnreserved(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!(c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-' or '.' or '_' or '~'))
            {
                return false;
            }
        }

        return true;
    }

    private static Uri? ToUri(string? text) =>
        !string.IsNullOrWhiteSpace(text) && Uri.TryCreate(text, UriKind.RelativeOrAbsolute, out var uri) ? uri : null;

}
