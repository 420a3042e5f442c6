using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mudbase.Storage;

/// <summary>How far a transfer has got: reported at most every 64 KB or so, and once more when the last byte has gone.</summary>
/// <param name="BytesTransferred">The bytes sent (an upload) or received (a download) so far.</param>
/// <param name="TotalBytes">The bytes there are in all, when known: a seekable stream's length, a download's <c>Content-Length</c>.</param>
public readonly record struct TransferProgress(long BytesTransferred, long? TotalBytes);

/// <summary>How an upload is sent.</summary>
public sealed class UploadOptions
{
    /// <summary>The file's media type (<c>image/png</c>); when null, inferred from the file name's extension, else <c>application/octet-stream</c>.</summary>
    public string? ContentType { get; set; }

    /// <summary>Whether the file is readable by anyone with its URL. Uploading into a public bucket does not make a file public.</summary>
    public bool IsPublic { get; set; }

    /// <summary>Told as the bytes leave, at most every 64 KB or so, and once when all have gone (also for an empty file).</summary>
    public IProgress<TransferProgress>? Progress { get; set; }

    /// <summary>
    /// How many bytes a stream that cannot seek will give, when you know it (a response's <c>Content-Length</c>, a file's
    /// size read through a pipe). The request then states its length: a direct upload sends the bytes as they come instead
    /// of copying them to a temporary file first, and progress reports the total. The stream must give exactly that many
    /// bytes, or the upload fails with an <see cref="ArgumentException"/> and nothing is stored. For a seekable stream it
    /// must equal the bytes from the stream's position; an upload of several files takes none.
    /// </summary>
    public long? ContentLength { get; set; }

    /// <inheritdoc />
    public override string ToString() => $"UploadOptions {{ ContentType = {ContentType}, IsPublic = {IsPublic}, ContentLength = {ContentLength} }}";
}

/// <summary>One file of an upload of several (<see cref="BucketFiles.UploadAsync(IEnumerable{FileUpload}, UploadOptions?, CancellationToken)"/>).</summary>
public sealed class FileUpload
{
    /// <summary>Names a file to upload.</summary>
    /// <param name="content">Its bytes, read from the stream's position to its end as they are sent; the caller keeps and disposes the stream.</param>
    /// <param name="fileName">Its name, without any folder.</param>
    /// <param name="contentType">Its media type; when null, <see cref="UploadOptions.ContentType"/>, else inferred from <paramref name="fileName"/>.</param>
    public FileUpload(Stream content, string fileName, string? contentType = null)
    {
        Content = content;
        FileName = fileName;
        ContentType = contentType;
    }

    /// <summary>The file's bytes.</summary>
    public Stream Content { get; }

    /// <summary>The file's name.</summary>
    public string FileName { get; }

    /// <summary>The file's media type, when given.</summary>
    public string? ContentType { get; }

    /// <inheritdoc />
    public override string ToString() => $"FileUpload {{ FileName = {FileName}, ContentType = {ContentType} }}";
}

/// <summary>
/// A stored file, read from any of the server's shapes: an upload's <c>{id, originalName, fileName, mimetype, …}</c> and the
/// file metadata's <c>{_id, filename, mimeType, bucket, …}</c>. Members the SDK does not know are kept in <see cref="AdditionalProperties"/>.
/// </summary>
public sealed class StoredFile
{
    /// <summary>Creates a file's description, for tests and fakes; the SDK makes them from the server's answers.</summary>
    /// <param name="id">The file's id.</param>
    /// <param name="originalName">The name it was uploaded with.</param>
    /// <param name="fileName">The name the server stores it under.</param>
    /// <param name="contentType">Its media type.</param>
    /// <param name="size">Its size in bytes.</param>
    /// <param name="url">Its URL as the server gives it.</param>
    /// <param name="isPublic">Whether anyone with its URL may read it.</param>
    /// <param name="bucketId">The bucket it is in.</param>
    /// <param name="uploadedAt">When it was uploaded.</param>
    /// <param name="publicUrl">Its permanent public URL.</param>
    /// <param name="projectId">The project it belongs to.</param>
    /// <param name="uploadedBy">Who uploaded it.</param>
    /// <param name="additionalProperties">What else the server sent about it.</param>
    public StoredFile(
        string id, string? originalName = null, string? fileName = null, string? contentType = null, long? size = null, Uri? url = null,
        bool isPublic = false, string? bucketId = null, DateTimeOffset? uploadedAt = null, Uri? publicUrl = null, string? projectId = null,
        string? uploadedBy = null, IReadOnlyDictionary<string, JsonElement>? additionalProperties = null)
    {
        ArgumentNullException.ThrowIfNull(id);
        Id = id;
        OriginalName = originalName;
        FileName = fileName;
        ContentType = contentType;
        Size = size;
        Url = url;
        IsPublic = isPublic;
        BucketId = bucketId;
        UploadedAt = uploadedAt;
        PublicUrl = publicUrl;
        ProjectId = projectId;
        UploadedBy = uploadedBy;
        AdditionalProperties = additionalProperties ?? EmptyProperties;
    }

    /// <summary>The file's id: what <see cref="BucketFiles.GetAsync"/>, downloads and signed URLs take.</summary>
    public string Id { get; }

    /// <summary>The name it was uploaded with.</summary>
    public string? OriginalName { get; }

    /// <summary>The name the server stores it under.</summary>
    public string? FileName { get; }

    /// <summary>Its media type.</summary>
    public string? ContentType { get; }

    /// <summary>Its size in bytes, when the server says.</summary>
    public long? Size { get; }

    /// <summary>Its URL as the server gives it (for a private file, not readable without a token: use a signed URL).</summary>
    public Uri? Url { get; }

    /// <summary>Its permanent public URL, when the server gives one.</summary>
    public Uri? PublicUrl { get; }

    /// <summary>Whether anyone with its URL may read it.</summary>
    public bool IsPublic { get; }

    /// <summary>The bucket it is in: the server's <c>bucket</c>, else the bucket the call was made on.</summary>
    public string? BucketId { get; }

    /// <summary>The project it belongs to, when the server says.</summary>
    public string? ProjectId { get; }

    /// <summary>Who uploaded it, when the server says.</summary>
    public string? UploadedBy { get; }

    /// <summary>When it was uploaded (<c>uploadedAt</c>, else <c>createdAt</c>).</summary>
    public DateTimeOffset? UploadedAt { get; }

    /// <summary>What else the server sent about the file (a direct upload's <c>status</c> and <c>scan</c>, newer members).</summary>
    public IReadOnlyDictionary<string, JsonElement> AdditionalProperties { get; }

    internal static readonly IReadOnlyDictionary<string, JsonElement> EmptyProperties = new Dictionary<string, JsonElement>();

    /// <inheritdoc />
    public override string ToString() => $"StoredFile {{ Id = {Id}, OriginalName = {OriginalName}, ContentType = {ContentType}, Size = {Size}, IsPublic = {IsPublic} }}";
}

/// <summary>A bucket: a named set of files of one project.</summary>
public sealed class StorageBucket
{
    /// <summary>Creates a bucket's description, for tests and fakes; the SDK makes them from the server's answers.</summary>
    /// <param name="id">The bucket's id.</param>
    /// <param name="name">Its name.</param>
    /// <param name="projectId">The project it belongs to.</param>
    /// <param name="isPublic">Whether it is public.</param>
    /// <param name="settings">Its settings.</param>
    /// <param name="createdAt">When it was created.</param>
    /// <param name="updatedAt">When it was last changed.</param>
    /// <param name="additionalProperties">What else the server sent about it.</param>
    public StorageBucket(
        string id, string? name = null, string? projectId = null, bool isPublic = false, JsonObject? settings = null, DateTimeOffset? createdAt = null,
        DateTimeOffset? updatedAt = null, IReadOnlyDictionary<string, JsonElement>? additionalProperties = null)
    {
        ArgumentNullException.ThrowIfNull(id);
        Id = id;
        Name = name;
        ProjectId = projectId;
        IsPublic = isPublic;
        Settings = settings;
        CreatedAt = createdAt;
        UpdatedAt = updatedAt;
        AdditionalProperties = additionalProperties ?? StoredFile.EmptyProperties;
    }

    /// <summary>The bucket's id: what <see cref="IMudbaseStorage.Bucket"/> takes.</summary>
    public string Id { get; }

    /// <summary>Its name.</summary>
    public string? Name { get; }

    /// <summary>The project it belongs to.</summary>
    public string? ProjectId { get; }

    /// <summary>Whether the bucket is public (its files are not made public by it).</summary>
    public bool IsPublic { get; }

    /// <summary>Its settings as the server sent them (for example <c>maxFileSize</c>), when any.</summary>
    public JsonObject? Settings { get; }

    /// <summary>When it was created, when the server says.</summary>
    public DateTimeOffset? CreatedAt { get; }

    /// <summary>When it was last changed, when the server says.</summary>
    public DateTimeOffset? UpdatedAt { get; }

    /// <summary>What else the server sent about the bucket.</summary>
    public IReadOnlyDictionary<string, JsonElement> AdditionalProperties { get; }

    /// <inheritdoc />
    public override string ToString() => $"StorageBucket {{ Id = {Id}, Name = {Name}, IsPublic = {IsPublic} }}";
}

/// <summary>One page of buckets.</summary>
public sealed class BucketPage : MudbasePage<StorageBucket>
{
    /// <summary>Creates a page (for tests and mocks).</summary>
    /// <param name="items">The buckets on this page.</param>
    /// <param name="page">The page number, from 1.</param>
    /// <param name="pageSize">The page size.</param>
    /// <param name="total">How many buckets there are.</param>
    /// <param name="totalPages">How many pages there are.</param>
    /// <param name="hasMore">Whether a page follows.</param>
    public BucketPage(IReadOnlyList<StorageBucket> items, int page, int pageSize, long total, int totalPages, bool hasMore)
        : base(items, page, pageSize, total, totalPages, hasMore)
    {
    }
}

/// <summary>One page of a bucket's files.</summary>
public sealed class FilePage : MudbasePage<StoredFile>
{
    /// <summary>Creates a page (for tests and mocks).</summary>
    /// <param name="items">The files on this page.</param>
    /// <param name="page">The page number, from 1.</param>
    /// <param name="pageSize">The page size.</param>
    /// <param name="total">How many files there are.</param>
    /// <param name="totalPages">How many pages there are.</param>
    /// <param name="hasMore">Whether a page follows.</param>
    public FilePage(IReadOnlyList<StoredFile> items, int page, int pageSize, long total, int totalPages, bool hasMore)
        : base(items, page, pageSize, total, totalPages, hasMore)
    {
    }
}

/// <summary>A URL that reads a file without credentials until it expires (a public file's permanent URL does not expire).</summary>
public sealed class SignedUrl
{
    /// <summary>Creates a signed URL's description, for tests and fakes; the SDK makes them from the server's answers.</summary>
    /// <param name="url">The URL.</param>
    /// <param name="expiresAt">When it stops working.</param>
    /// <param name="expiresIn">How long it was made to last.</param>
    /// <param name="warning">The server's note.</param>
    public SignedUrl(Uri url, DateTimeOffset? expiresAt = null, TimeSpan? expiresIn = null, string? warning = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        Url = url;
        ExpiresAt = expiresAt;
        ExpiresIn = expiresIn;
        Warning = warning;
    }

    /// <summary>The URL, absolute: give it to a browser, an <c>&lt;img&gt;</c>, or a plain <see cref="HttpClient"/>. It is a secret until it expires.</summary>
    public Uri Url { get; }

    /// <summary>When it stops working; null for a public file's permanent URL, or when the server does not say.</summary>
    public DateTimeOffset? ExpiresAt { get; }

    /// <summary>How long it was made to last, as the server applied it (it may clamp what was asked).</summary>
    public TimeSpan? ExpiresIn { get; }

    /// <summary>The server's note, for example that a public file needs no signing and its permanent URL was given instead.</summary>
    public string? Warning { get; }

    /// <summary>The expiry only: the URL carries a token.</summary>
    public override string ToString() => $"SignedUrl {{ ExpiresAt = {ExpiresAt}, Warning = {Warning} }}";
}

/// <summary>Which buckets <see cref="IMudbaseStorage.ListBucketsAsync"/> lists.</summary>
public sealed class BucketListOptions
{
    /// <summary>The page, from 1.</summary>
    public int Page { get; set; } = 1;

    /// <summary>The page size, 1 to 100.</summary>
    public int PageSize { get; set; } = 20;

    /// <summary>Only buckets whose name contains this text; null for all.</summary>
    public string? Search { get; set; }

    /// <summary>The project; when null, <see cref="MudbaseClientOptions.ProjectId"/>.</summary>
    public string? ProjectId { get; set; }

    /// <inheritdoc />
    public override string ToString() => $"BucketListOptions {{ Page = {Page}, PageSize = {PageSize}, Search = {Search}, ProjectId = {ProjectId} }}";
}

/// <summary>Which files <see cref="BucketFiles.ListAsync"/> and <see cref="BucketFiles.ListAllAsync"/> list.</summary>
public sealed class FileListOptions
{
    /// <summary>The page, from 1 (<see cref="BucketFiles.ListAllAsync"/> starts there).</summary>
    public int Page { get; set; } = 1;

    /// <summary>The page size, 1 to 100.</summary>
    public int PageSize { get; set; } = 20;

    /// <summary>Only files whose name contains this text; null for all.</summary>
    public string? Search { get; set; }

    /// <summary>Only files of this media type (the server's <c>type</c> filter, for example <c>image/png</c>); null for all.</summary>
    public string? Type { get; set; }

    /// <inheritdoc />
    public override string ToString() => $"FileListOptions {{ Page = {Page}, PageSize = {PageSize}, Search = {Search}, Type = {Type} }}";
}

/// <summary>What <see cref="IMudbaseStorage.CreateBucketAsync"/> sends.</summary>
public sealed class CreateBucketRequest
{
    /// <summary>The bucket's name.</summary>
    public required string Name { get; set; }

    /// <summary>Whether the bucket is public; null for the server's default (private).</summary>
    public bool? IsPublic { get; set; }

    /// <summary>Its settings (for example <c>maxFileSize</c>); null for the server's defaults.</summary>
    public JsonObject? Settings { get; set; }

    /// <summary>The project; when null, <see cref="MudbaseClientOptions.ProjectId"/>.</summary>
    public string? ProjectId { get; set; }

    /// <inheritdoc />
    public override string ToString() => $"CreateBucketRequest {{ Name = {Name}, IsPublic = {IsPublic}, ProjectId = {ProjectId} }}";
}

/// <summary>What <see cref="IMudbaseStorage.UpdateBucketAsync"/> sends: only what is set changes.</summary>
public sealed class UpdateBucketRequest
{
    /// <summary>The new name; null leaves it.</summary>
    public string? Name { get; set; }

    /// <summary>Whether the bucket is public; null leaves it.</summary>
    public bool? IsPublic { get; set; }

    /// <summary>The new settings; null leaves them.</summary>
    public JsonObject? Settings { get; set; }

    /// <summary>The project; when null, <see cref="MudbaseClientOptions.ProjectId"/>.</summary>
    public string? ProjectId { get; set; }

    /// <inheritdoc />
    public override string ToString() => $"UpdateBucketRequest {{ Name = {Name}, IsPublic = {IsPublic}, ProjectId = {ProjectId} }}";
}

/// <summary>
/// The file is larger than the server accepts (413): the stricter of the plan's limit and the bucket's. The hosted default
/// is 50 MiB; <see cref="MaxFileUploadBytes"/> says the limit when the server does.
/// </summary>
public sealed class MudbaseFileTooLargeException : MudbaseException
{
    private readonly long? _maxFileUploadBytes;

    /// <inheritdoc cref="MudbaseException(string)" />
    public MudbaseFileTooLargeException(string message) : base(message) { }

    /// <inheritdoc cref="MudbaseException(string, Exception)" />
    public MudbaseFileTooLargeException(string message, Exception? innerException) : base(message, innerException) { }

    /// <summary>Refused before sending: a direct upload's presigned limit is known and the stream is longer.</summary>
    internal MudbaseFileTooLargeException(string message, long maxFileUploadBytes) : base(message) => _maxFileUploadBytes = maxFileUploadBytes;

    internal MudbaseFileTooLargeException(MudbaseErrorInfo info, Exception? innerException) : base(info, innerException) { }

    /// <summary>The largest file the server accepts, in bytes (its <c>maxFileUploadBytes</c>), when it says.</summary>
    public long? MaxFileUploadBytes => _maxFileUploadBytes ?? Facts.MaxFileUploadBytes;
}
