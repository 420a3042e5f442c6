using System.Globalization;
using System.Text.Json;
using Mudbase.Emulator.Data;

namespace Mudbase.Emulator.Storage;

/// <summary>The storage area's JSON: buckets, file metadata in its two live casings, paging, and the 413 body.</summary>
internal static class StorageJson
{
    public static JsonElement EmptyObject { get; } = JsonAnswer.ToElement(static writer =>
    {
        writer.WriteStartObject();
        writer.WriteEndObject();
    });

    /// <summary>413 <c>{"error":"File size exceeds limit of N bytes","maxFileUploadBytes":N}</c>, as live.</summary>
    public static IResult TooLarge(long limit) => JsonAnswer.Write(StatusCodes.Status413PayloadTooLarge, writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("error", string.Create(CultureInfo.InvariantCulture, $"File size exceeds limit of {limit} bytes"));
        writer.WriteNumber("maxFileUploadBytes", limit);
        writer.WriteEndObject();
    });

    /// <summary><c>{success, url, expiresAt, expiresIn}</c>, a signed download URL.</summary>
    public static IResult Signed((string Url, DateTimeOffset ExpiresAt) signed, int expiresIn) => JsonAnswer.Write(StatusCodes.Status200OK, writer =>
    {
        writer.WriteStartObject();
        writer.WriteBoolean("success", true);
        writer.WriteString("url", signed.Url);
        writer.WriteString("expiresAt", JsonAnswer.Timestamp(signed.ExpiresAt));
        writer.WriteNumber("expiresIn", expiresIn);
        writer.WriteEndObject();
    });

    /// <summary>The warning beside a public file's permanent URL where a signed one was asked for.</summary>
    public const string PublicFileWarning = "The file is public: its permanent URL is returned instead of a signed one.";

    /// <summary><c>{success, message, bucket}</c>, the answer of a bucket read or write.</summary>
    public static IResult Bucket(int statusCode, string message, StorageBucket bucket) => JsonAnswer.Write(statusCode, writer =>
    {
        writer.WriteStartObject();
        writer.WriteBoolean("success", true);
        writer.WriteString("message", message);
        writer.WritePropertyName("bucket");
        WriteBucket(writer, bucket);
        writer.WriteEndObject();
    });

    public static void WriteBucket(Utf8JsonWriter writer, StorageBucket bucket)
    {
        writer.WriteStartObject();
        writer.WriteString("_id", bucket.Id);
        writer.WriteString("name", bucket.Name);
        writer.WriteString("projectId", bucket.ProjectId);
        writer.WriteBoolean("isPublic", bucket.IsPublic);
        writer.WritePropertyName("settings");
        bucket.Settings.WriteTo(writer);
        writer.WriteString("createdAt", JsonAnswer.Timestamp(bucket.CreatedAt));
        writer.WriteString("updatedAt", JsonAnswer.Timestamp(bucket.UpdatedAt));
        writer.WriteEndObject();
    }

    /// <summary>
    /// <c>FileMetadata</c>, the shape of the read routes:
    /// <c>{_id, filename, originalName, mimeType, size, url, publicUrl, bucket, projectId, isPublic, uploadedBy, createdAt}</c>.
    /// </summary>
    public static void WriteMetadata(Utf8JsonWriter writer, StorageFile file, StorageUrls urls)
    {
        writer.WriteStartObject();
        writer.WriteString("_id", file.Id);
        writer.WriteString("filename", file.FileName);
        writer.WriteString("originalName", file.OriginalName);
        writer.WriteString("mimeType", file.ContentType);
        writer.WriteNumber("size", file.Size);
        writer.WriteString("url", urls.Download(file.Id));
        writer.WriteString("publicUrl", file.IsPublic ? urls.Public(file.Id) : null);
        writer.WriteString("bucket", file.BucketId);
        writer.WriteString("projectId", file.ProjectId);
        writer.WriteBoolean("isPublic", file.IsPublic);
        // Uploads are org calls, made with the API key here: no user uploaded them.
        writer.WriteNull("uploadedBy");
        writer.WriteString("createdAt", JsonAnswer.Timestamp(file.CreatedAt));
        writer.WriteEndObject();
    }

    /// <summary>
    /// An uploaded file as the upload answer lists it (the live casing differs from <see cref="WriteMetadata"/>):
    /// <c>{id, originalName, fileName, size, mimetype, url, isPublic, uploadedAt}</c>.
    /// </summary>
    public static void WriteUploaded(Utf8JsonWriter writer, StorageFile file, StorageUrls urls)
    {
        writer.WriteStartObject();
        writer.WriteString("id", file.Id);
        writer.WriteString("originalName", file.OriginalName);
        writer.WriteString("fileName", file.FileName);
        writer.WriteNumber("size", file.Size);
        writer.WriteString("mimetype", file.ContentType);
        writer.WriteString("url", urls.Download(file.Id));
        writer.WriteBoolean("isPublic", file.IsPublic);
        writer.WriteString("uploadedAt", JsonAnswer.Timestamp(file.CreatedAt));
        writer.WriteEndObject();
    }

    /// <summary>A page of a list: the items under <paramref name="name"/>, then <c>pagination {page, limit, total, totalPages, hasMore}</c>.</summary>
    public static IResult Page<T>(PageRequest paging, IReadOnlyList<T> all, string name, Action<Utf8JsonWriter, T> write, bool success) =>
        JsonAnswer.Write(StatusCodes.Status200OK, writer =>
        {
            var totalPages = (int)Math.Ceiling(all.Count / (double)paging.Limit);
            var skip = (long)(paging.Page - 1) * paging.Limit;
            writer.WriteStartObject();
            if (success)
            {
                writer.WriteBoolean("success", true);
            }

            writer.WriteStartArray(name);
            foreach (var item in skip >= all.Count ? [] : all.Skip((int)skip).Take(paging.Limit))
            {
                write(writer, item);
            }

            writer.WriteEndArray();
            writer.WriteStartObject("pagination");
            writer.WriteNumber("page", paging.Page);
            writer.WriteNumber("limit", paging.Limit);
            writer.WriteNumber("total", all.Count);
            writer.WriteNumber("totalPages", totalPages);
            writer.WriteBoolean("hasMore", paging.Page < totalPages);
            writer.WriteEndObject();
            writer.WriteEndObject();
        });
}

/// <summary><c>?page=1&amp;limit=20</c>: <c>page</c> from 1, <c>limit</c> 20 by default and clamped to 1..100, as the data routes do.</summary>
internal readonly record struct PageRequest(int Page, int Limit)
{
    public static PageRequest From(IQueryCollection query) =>
        new(Math.Max(1, WholeNumber(query["page"]) ?? 1), Math.Clamp(WholeNumber(query["limit"]) ?? 20, 1, 100));

    private static int? WholeNumber(Microsoft.Extensions.Primitives.StringValues value) =>
        int.TryParse(value.ToString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) ? number : null;
}

/// <summary>The emulator's own URLs for a file, on the host and port the request came to.</summary>
internal readonly struct StorageUrls(HttpRequest request)
{
    private readonly string _root = $"{request.Scheme}://{request.Host}{request.PathBase}/";

    /// <summary>The bytes: no token needed for a public file, a signed one for the others.</summary>
    public string Download(string fileId) => $"{_root}api/bucket/files/{fileId}/download";

    /// <summary>The bytes with a signed token.</summary>
    public string Signed(string fileId, string token) => $"{Download(fileId)}?token={token}";

    /// <summary>The permanent URL of a public file, which redirects to a short-lived signed one.</summary>
    public string Public(string fileId) => $"{_root}api/files/public/{fileId}";

    /// <summary>Where a direct upload PUTs its bytes.</summary>
    public string Upload(string key) => $"{_root}__storage/{key}";
}
