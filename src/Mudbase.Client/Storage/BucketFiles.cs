using System.Buffers;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Mudbase.Diagnostics;
using Mudbase.Http;
using Mudbase.Internal;
using Mudbase.Serialization;

namespace Mudbase.Storage;

/// <summary>
/// A bucket's files: upload, list, get, delete, sign and download them. A cheap, immutable handle (no request is made to
/// create it): keep it, share it between threads.
/// </summary>
/// <remarks>
/// Uploads read the caller's stream as the bytes are sent, never whole into memory, and a stream that cannot seek (a
/// network stream, a pipe) works. An upload is a POST, so it is never re-sent after an answer or a failure that may mean
/// it was stored; where a re-send is safe (a 429 or 503 that names its Retry-After, a connection refused) it happens only
/// if the stream can be rewound. Downloads return the body as it arrives; a connection that breaks in the middle is a
/// <see cref="MudbaseTransportException"/>, never a short file.
/// </remarks>
// RS0026: the two UploadAsync overloads (one stream, several files) are the API's contract and differ by their first parameter.
#pragma warning disable RS0026
public sealed class BucketFiles
{
    /// <summary>The most files one upload request takes.</summary>
    public const int MaxFilesPerUpload = 10;

    /// <summary>How long the token of a download made by <see cref="OpenReadAsync"/> lasts: only until the answer's headers are in.</summary>
    private const int DownloadTokenSeconds = 300;

    /// <summary>The body of the signed URL a download asks for, as the serializer writes it.</summary>
    private static readonly byte[] DownloadSignBody = System.Text.Encoding.UTF8.GetBytes($"{{\"expiresIn\":{DownloadTokenSeconds}}}");

    private readonly MudbaseStorage _storage;
    private string? _filesUrl;
    private Uri? _filesUri;

    internal BucketFiles(MudbaseStorage storage, string bucketId, string projectId)
    {
        _storage = storage;
        BucketId = bucketId;
        ProjectId = projectId;
    }

    /// <summary>The bucket's id, as given.</summary>
    public string BucketId { get; }

    /// <summary>The project the bucket belongs to.</summary>
    public string ProjectId { get; }

    /// <summary>Uploads one file (an org call: the API key or an org role), streaming it from <paramref name="content"/>.</summary>
    /// <param name="content">The bytes, from the stream's position to its end; the caller keeps and disposes the stream.</param>
    /// <param name="fileName">The file's name, without a folder.</param>
    /// <param name="options">Its media type, whether it is public, and who to tell of the progress.</param>
    /// <param name="cancellationToken">Stops the upload at once.</param>
    /// <returns>The stored file.</returns>
    /// <exception cref="ArgumentException">
    /// The stream is null or unreadable, the name is blank, has a folder or a control character, the media type is not one, or
    /// <see cref="UploadOptions.ContentLength"/> is not the stream's length (for a stream that cannot seek, found as it is sent).
    /// </exception>
    /// <exception cref="MudbaseForbiddenException">The caller is a project user: uploads need the API key or an org role, and the message says so.</exception>
    /// <exception cref="MudbaseFileTooLargeException">The file is larger than the server accepts (<see cref="MudbaseFileTooLargeException.MaxFileUploadBytes"/>).</exception>
    /// <exception cref="MudbaseException">The call failed; the exception says why, and whether it was re-sent.</exception>
    public Task<StoredFile> UploadAsync(Stream content, string fileName, UploadOptions? options = null, CancellationToken cancellationToken = default)
    {
        var file = Plan(content, fileName, null, options, nameof(content), nameof(fileName), "options.ContentType");
        return Operation.RunAsync("mudbase.storage.upload", this, (file, options), static (b, a, ct) =>
            b.SendUploadAsync([a.file], a.options, StorageWire.ReadFile, ct), cancellationToken);
    }

    /// <summary>Uploads the file at <paramref name="path"/> (an org call), streaming it from disk under its own name.</summary>
    /// <param name="path">The file's path.</param>
    /// <param name="options">Its media type (when null, inferred from its extension), whether it is public, and who to tell of the progress.</param>
    /// <param name="cancellationToken">Stops the upload at once.</param>
    /// <returns>The stored file.</returns>
    /// <exception cref="ArgumentException">The path is blank or names no file, or the media type is not one.</exception>
    /// <exception cref="IOException">The file cannot be opened (for example, it does not exist).</exception>
    /// <exception cref="MudbaseForbiddenException">The caller is a project user: uploads need the API key or an org role.</exception>
    /// <exception cref="MudbaseFileTooLargeException">The file is larger than the server accepts.</exception>
    /// <exception cref="MudbaseException">The call failed; the exception says why.</exception>
    public Task<StoredFile> UploadFileAsync(string path, UploadOptions? options = null, CancellationToken cancellationToken = default)
    {
        Guard.NotBlank(path, nameof(path), maxLength: 32 * 1024);
        var fileName = Path.GetFileName(path);
        CheckFileName(fileName, nameof(path));
        MudbaseStorage.CheckContentType(options?.ContentType, "options.ContentType");
        return Operation.RunAsync("mudbase.storage.upload", this, (path, fileName, options), static async (b, a, ct) =>
        {
            // Read as it is sent: no buffer of the stream's own under the upload's chunks, which already read in large pieces.
            using var stream = new FileStream(a.path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
            var file = new PlannedFile(stream, a.fileName, a.options?.ContentType ?? ContentTypes.FromFileName(a.fileName), CheckLength(stream, a.options));
            return await b.SendUploadAsync([file], a.options, StorageWire.ReadFile, ct).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <summary>Uploads up to <see cref="MaxFilesPerUpload"/> files in one request (an org call), streaming each in turn.</summary>
    /// <param name="files">The files, 1 to 10; each names its stream, its name and, optionally, its media type.</param>
    /// <param name="options">The media type of files that name none (else inferred from each name), whether they are public, and who to tell of the progress (of all the files together).</param>
    /// <param name="cancellationToken">Stops the upload at once.</param>
    /// <returns>The stored files, in the order the server lists them.</returns>
    /// <exception cref="ArgumentException">No files or more than 10, a file with a null or unreadable stream, a bad name, or a bad media type, or <see cref="UploadOptions.ContentLength"/> set.</exception>
    /// <exception cref="MudbaseForbiddenException">The caller is a project user: uploads need the API key or an org role.</exception>
    /// <exception cref="MudbaseFileTooLargeException">A file is larger than the server accepts.</exception>
    /// <exception cref="MudbaseException">The call failed; the exception says why.</exception>
    public Task<IReadOnlyList<StoredFile>> UploadAsync(IEnumerable<FileUpload> files, UploadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        var list = files.ToList();
        if (list.Count is 0 or > MaxFilesPerUpload)
        {
            throw new ArgumentException($"files holds {list.Count} files; one upload takes 1 to {MaxFilesPerUpload}.", nameof(files));
        }

        if (options?.ContentLength is not null)
        {
            throw new ArgumentException("options.ContentLength says the length of one stream: an upload of several files takes none.", "options.ContentLength");
        }

        var planned = new PlannedFile[list.Count];
        for (var i = 0; i < list.Count; i++)
        {
            var file = list[i] ?? throw new ArgumentNullException($"files[{i}]", $"files[{i}] is null.");
            planned[i] = Plan(file.Content, file.FileName, file.ContentType, options, $"files[{i}].Content", $"files[{i}].FileName", $"files[{i}].ContentType");
        }

        return Operation.RunAsync("mudbase.storage.upload", this, (planned, options), static (b, a, ct) => b.SendUploadAsync(a.planned, a.options, StorageWire.ReadFiles, ct), cancellationToken);
    }

    /// <summary>
    /// Uploads one file the direct way (an org call): the server presigns a URL, the bytes go there (a PUT with exactly the
    /// headers it names, or a POST form with the fields it names), and the upload is confirmed. The PUT is re-sent after a
    /// failure when the stream can be rewound; nothing is confirmed when the transfer fails or is cancelled.
    /// </summary>
    /// <param name="content">
    /// The bytes; the caller keeps and disposes the stream. The request states their length, as object stores require: a
    /// seekable stream says it; one that cannot seek is first copied to a temporary file (deleted however the upload ends),
    /// unless <see cref="UploadOptions.ContentLength"/> says it.
    /// </param>
    /// <param name="fileName">The file's name, without a folder.</param>
    /// <param name="options">Its media type, whether it is public, who to tell of the progress, and the length of a stream that cannot seek.</param>
    /// <param name="cancellationToken">Stops the upload at once.</param>
    /// <returns>The stored file: its id, name, media type, size and bucket (the confirm's <c>status</c> and <c>scan</c> in <see cref="StoredFile.AdditionalProperties"/>).</returns>
    /// <exception cref="ArgumentException">
    /// The stream is null or unreadable, the name is bad, the media type is not one, or <see cref="UploadOptions.ContentLength"/> is not the stream's length
    /// (for a stream that cannot seek, found as it is sent: nothing is then stored).
    /// </exception>
    /// <exception cref="IOException">The temporary copy of a stream that cannot seek could not be written (a full disk).</exception>
    /// <exception cref="MudbaseForbiddenException">The caller is a project user: uploads need the API key or an org role.</exception>
    /// <exception cref="MudbaseFileTooLargeException">The file is larger than the presigned limit (checked before sending when the stream's length is known) or the server's.</exception>
    /// <exception cref="MudbaseValidationException">The server quarantined the file.</exception>
    /// <exception cref="MudbaseException">The call failed; the exception says why.</exception>
    public Task<StoredFile> UploadDirectAsync(Stream content, string fileName, UploadOptions? options = null, CancellationToken cancellationToken = default)
    {
        var file = Plan(content, fileName, null, options, nameof(content), nameof(fileName), "options.ContentType");
        return Operation.RunAsync("mudbase.storage.upload_direct", this, (file, options), static (b, a, ct) => b.SendDirectAsync(a.file, a.options, ct), cancellationToken);
    }

    /// <summary>Lists the bucket's files, one page.</summary>
    /// <param name="options">The page, its size, and name and media-type filters; null for the first 20.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page.</returns>
    /// <exception cref="ArgumentException">A page below 1, a page size outside 1 to 100, or a blank filter.</exception>
    /// <exception cref="MudbaseException">The call failed; the exception says why.</exception>
    public Task<FilePage> ListAsync(FileListOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = CheckList(options);
        return Operation.RunAsync("mudbase.storage.list_files", this, (list, list.Page), static (b, a, ct) => b.ListPageAsync(a.list, a.Page, ct), cancellationToken);
    }

    /// <summary>Every file of the bucket, page after page from <see cref="FileListOptions.Page"/>, each page fetched when the consumer gets there.</summary>
    /// <param name="options">The page size, and name and media-type filters; null for pages of 20.</param>
    /// <param name="cancellationToken">Cancels the enumeration, and the page request in flight.</param>
    /// <returns>The files, lazily.</returns>
    /// <exception cref="ArgumentException">A page below 1, a page size outside 1 to 100, or a blank filter (thrown at once, not when enumerating).</exception>
    public IAsyncEnumerable<StoredFile> ListAllAsync(FileListOptions? options = null, CancellationToken cancellationToken = default) =>
        EnumerateAsync(CheckList(options), cancellationToken);

    /// <summary>Gets one file's metadata.</summary>
    /// <param name="fileId">The file's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The file.</returns>
    /// <exception cref="ArgumentException"><paramref name="fileId"/> is blank.</exception>
    /// <exception cref="MudbaseNotFoundException">There is no such file.</exception>
    /// <exception cref="MudbaseException">The call failed; the exception says why.</exception>
    public Task<StoredFile> GetAsync(string fileId, CancellationToken cancellationToken = default)
    {
        Guard.NotBlank(fileId, nameof(fileId));
        return Operation.RunAsync("mudbase.storage.get_file", this, fileId, static (b, id, ct) => JsonAnswer.ReadAsync(
            b._storage.Api.GetFileAsync(b.ProjectId, b.BucketId, id, b._storage.Sessions, ct), b._storage.Errors, b.BucketId, StorageWire.ReadFile, ct), cancellationToken);
    }

    /// <summary>Deletes a file (an org call).</summary>
    /// <param name="fileId">The file's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the server has deleted it.</returns>
    /// <exception cref="ArgumentException"><paramref name="fileId"/> is blank.</exception>
    /// <exception cref="MudbaseForbiddenException">The caller is a project user, not an org member or the API key.</exception>
    /// <exception cref="MudbaseNotFoundException">There is no such file (for example, a retry after the delete went through).</exception>
    /// <exception cref="MudbaseException">The call failed; the exception says why.</exception>
    public Task DeleteAsync(string fileId, CancellationToken cancellationToken = default)
    {
        Guard.NotBlank(fileId, nameof(fileId));
        return Operation.RunAsync("mudbase.storage.delete_file", this, fileId, static (b, id, ct) => StorageAnswer.ExpectSuccessAsync(
            b._storage.Api.DeleteFileAsync(b.ProjectId, b.BucketId, id, b._storage.Sessions, ct), b._storage.Errors, "Deleting a file"), cancellationToken);
    }

    /// <summary>A URL that reads the file without credentials until it expires (for a public file, its permanent URL and a warning).</summary>
    /// <param name="fileId">The file's id.</param>
    /// <param name="expiresIn">How long it lasts (whole seconds, rounded up; the server clamps it).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The URL and when it expires.</returns>
    /// <exception cref="ArgumentException"><paramref name="fileId"/> is blank, or <paramref name="expiresIn"/> is not positive.</exception>
    /// <exception cref="MudbaseNotFoundException">There is no such file.</exception>
    /// <exception cref="MudbaseException">The call failed; the exception says why.</exception>
    public Task<SignedUrl> CreateSignedUrlAsync(string fileId, TimeSpan expiresIn, CancellationToken cancellationToken = default)
    {
        Guard.NotBlank(fileId, nameof(fileId));
        var seconds = MudbaseStorage.Seconds(expiresIn, nameof(expiresIn));
        return Operation.RunAsync("mudbase.storage.create_signed_url", this, (fileId, seconds), static (b, a, ct) => b.SignAsync(a.fileId, a.seconds, ct), cancellationToken);
    }

    /// <summary>
    /// Opens the file's bytes as they arrive (a signed URL is made for it first). The per-attempt timeout covers the wait for
    /// the answer's headers, and a failure before the body starts is retried like any read; the body is then read at the
    /// caller's pace, under the caller's own cancellation.
    /// </summary>
    /// <param name="fileId">The file's id.</param>
    /// <param name="cancellationToken">Cancels the opening; pass a token to each read for the rest.</param>
    /// <returns>A forward-only stream of the body; dispose it. A connection that breaks in the middle, or a body shorter than its length, throws <see cref="MudbaseTransportException"/> from a read.</returns>
    /// <exception cref="ArgumentException"><paramref name="fileId"/> is blank.</exception>
    /// <exception cref="MudbaseNotFoundException">There is no such file.</exception>
    /// <exception cref="MudbaseException">The call failed; the exception says why.</exception>
    public Task<Stream> OpenReadAsync(string fileId, CancellationToken cancellationToken = default)
    {
        Guard.NotBlank(fileId, nameof(fileId));
        return Operation.RunAsync("mudbase.storage.open_read", this, fileId, static (b, id, ct) => b.OpenAsync(id, ct), cancellationToken);
    }

    /// <summary>Downloads the file into <paramref name="destination"/>, as it arrives, telling <paramref name="progress"/>.</summary>
    /// <param name="fileId">The file's id.</param>
    /// <param name="destination">Where the bytes go; the caller keeps and disposes it. After a failure it holds a part of the file only: discard it.</param>
    /// <param name="progress">Told at most every 64 KB or so, and once when the last byte is in.</param>
    /// <param name="cancellationToken">Stops the download at once.</param>
    /// <returns>A task that completes when every byte has been written.</returns>
    /// <exception cref="ArgumentException"><paramref name="fileId"/> is blank, or <paramref name="destination"/> is null or not writable.</exception>
    /// <exception cref="MudbaseNotFoundException">There is no such file.</exception>
    /// <exception cref="MudbaseTransportException">The connection broke before the whole file had arrived.</exception>
    /// <exception cref="MudbaseException">The call failed; the exception says why.</exception>
    public Task DownloadToAsync(string fileId, Stream destination, IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        Guard.NotBlank(fileId, nameof(fileId));
        ArgumentNullException.ThrowIfNull(destination);
        if (!destination.CanWrite)
        {
            throw new ArgumentException("destination must be writable.", nameof(destination));
        }

        return Operation.RunAsync("mudbase.storage.download", this, (fileId, destination, progress), static async (b, a, ct) =>
        {
            using var download = (DownloadStream)await b.OpenAsync(a.fileId, ct).ConfigureAwait(false);
            var transfer = a.progress is null ? null : new Transfer(download.TotalBytes, a.progress, ct);
            // The copy buffer's size as Stream.CopyToAsync picks it for a stream of unknown length.
            await download.CopyToAsync(a.destination, 81920, transfer, ct).ConfigureAwait(false);
            transfer?.Complete();
        }, cancellationToken);
    }

    /// <inheritdoc />
    public override string ToString() => $"BucketFiles {{ ProjectId = {ProjectId}, BucketId = {BucketId} }}";

    /// <summary>
    /// One multipart request (an <c>isPublic</c> field when set, then one <c>files</c> part per file), read as
    /// <paramref name="read"/> reads the answer. One async frame from the send to the parsed answer: the body is in memory
    /// by the time the send returns (the retry handler reads it within the attempt), so nothing after it waits.
    /// </summary>
    private async Task<TResult> SendUploadAsync<TResult>(PlannedFile[] files, UploadOptions? options, Utf8Parser<string, TResult> read, CancellationToken cancellationToken)
    {
        var storage = _storage;
        var transfer = new Transfer(TotalOf(files), options?.Progress, cancellationToken);
        using var form = new MultipartFormDataContent();
        if (options?.IsPublic == true)
        {
            form.Add(Field("isPublic", "true"));
        }

        var parts = new StreamPart[files.Length];
        for (var i = 0; i < files.Length; i++)
        {
            parts[i] = FilePart(files[i], "files", transfer);
            form.Add(parts[i]);
        }

        using var body = new TransferContent(form, parts, transfer, offsite: false);
        using var request = storage.NewRequest(HttpMethod.Post, FilesUri, body);
        HttpResponseMessage response;
        try
        {
            response = await storage.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (LengthMismatch(ex) is { } mismatch)
        {
            throw new ArgumentException(mismatch.Message, "options.ContentLength", ex);
        }
        catch (Exception ex) when (Untransported(request, ex, cancellationToken) is { } mapped)
        {
            throw mapped;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw await StorageAnswer.FailureAsync(response, storage.Errors, "Uploading files").ConfigureAwait(false);
        }

        return await JsonAnswer.ParseAsync(response, storage.Errors, BucketId, read, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The URL of the bucket's files, its ids escaped as Refit escapes a path's values; made once per handle, which is meant to be kept.</summary>
    private string FilesUrl => _filesUrl ??= _storage.UrlOf($"/api/bucket/projects/{Uri.EscapeDataString(ProjectId)}/buckets/{Uri.EscapeDataString(BucketId)}/files");

    /// <summary>The same as a <see cref="Uri"/>, which a request can share (it is immutable).</summary>
    private Uri FilesUri => _filesUri ??= new Uri(FilesUrl, UriKind.Absolute);

    private async Task<StoredFile> SendDirectAsync(PlannedFile file, UploadOptions? options, CancellationToken cancellationToken)
    {
        var storage = _storage;
        var isPublic = options?.IsPublic == true ? true : (bool?)null;
        var presign = await StorageAnswer.ReadAsync(
            storage.Api.PresignAsync(new PresignBody { ProjectId = ProjectId, OriginalName = file.FileName, Bucket = BucketId, ContentType = file.ContentType, IsPublic = isPublic }, storage.Sessions, cancellationToken),
            storage.Errors, "Uploading files", MudbaseJsonContext.Default.PresignAnswer, cancellationToken).ConfigureAwait(false);

        FileStream? copy = null;
        try
        {
            if (!file.Content.CanSeek && file.Length is null)
            {
                // An object store wants the length before the bytes (an S3 presigned PUT answers a chunked body with 411), and
                // this stream cannot say it: it is copied to a temporary file first, in constant memory, which a re-sent PUT
                // can also rewind. After the presign, so that a refusal or the size limit stops the copy early.
                copy = await CopyToTemporaryFileAsync(file, presign.MaxFileUploadBytes, cancellationToken).ConfigureAwait(false);
                file = file with { Content = copy };
            }

            var length = TotalOf([file]);
            if (presign.MaxFileUploadBytes is { } max && length > max)
            {
                throw new MudbaseFileTooLargeException($"{file.FileName} is {length} bytes; the server takes files of at most {max} bytes.", max);
            }

            var transfer = new Transfer(length, options?.Progress, cancellationToken);
            using (var request = new HttpRequestMessage(presign.IsPut ? HttpMethod.Put : HttpMethod.Post, StorageWire.ToAbsolute(presign.Url!, storage.Options.BaseUrl)))
            {
                request.Content = presign.IsPut ? RawBody(file, presign.Headers, transfer, request) : FormBody(file, presign.Fields!, transfer);
                try
                {
                    // The presigned URL's own answer (S3's XML, an empty 200) only matters for its status.
                    await StorageAnswer.ExpectSuccessAsync(storage.Http.SendAsync(request, cancellationToken), storage.Errors, orgCall: null).ConfigureAwait(false);
                }
                catch (MudbaseException ex) when (LengthMismatch(ex) is { } mismatch)
                {
                    throw new ArgumentException(mismatch.Message, "options.ContentLength", ex);
                }
            }

            var confirm = await StorageAnswer.ReadAsync(
                storage.Api.ConfirmAsync(
                    new ConfirmBody
                    {
                        Key = presign.Key!, ProjectId = ProjectId, OriginalName = file.FileName, ContentType = file.ContentType, Size = transfer.Transferred,
                        Bucket = BucketId, IsPublic = isPublic,
                    },
                    storage.Sessions, cancellationToken),
                storage.Errors, "Uploading files", MudbaseJsonContext.Default.ConfirmAnswer, cancellationToken).ConfigureAwait(false);

            var extra = confirm.Unmapped ?? [];
            if (extra.TryGetValue("status", out var status) && status.ValueKind == JsonValueKind.String && status.GetString() is "quarantined" or "error")
            {
                throw new MudbaseValidationException($"The server did not accept {file.FileName}: its scan status is '{status.GetString()}'.");
            }

            return new StoredFile(
                confirm.FileId!, originalName: file.FileName, contentType: file.ContentType, size: transfer.Transferred, isPublic: isPublic ?? false,
                bucketId: BucketId, projectId: ProjectId, additionalProperties: extra);
        }
        finally
        {
            // Opened to delete itself on close: the copy is gone however the upload ended (a failure, a cancellation).
            copy?.Dispose();
        }
    }

    /// <summary>
    /// A copy of the rest of <paramref name="file"/>'s stream in a new temporary file (readable by its owner only, deleted
    /// when closed), at its start; more than <paramref name="max"/> bytes stop the copy with <see cref="MudbaseFileTooLargeException"/>.
    /// </summary>
    private async Task<FileStream> CopyToTemporaryFileAsync(PlannedFile file, long? max, CancellationToken cancellationToken)
    {
        var path = Path.Combine(_storage.TemporaryFolder, $"mudbase-upload-{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
            // Unbuffered: the copy and the PUT both move large pieces.
            BufferSize = 1,
            Options = FileOptions.DeleteOnClose | FileOptions.Asynchronous,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        var copy = File.Open(path, options);
        var buffer = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            var size = 0L;
            int read;
            while ((read = await file.Content.ReadAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false)) > 0)
            {
                size += read;
                if (max is { } limit && size > limit)
                {
                    throw new MudbaseFileTooLargeException($"{file.FileName} is more than {limit} bytes; the server takes files of at most {limit} bytes.", limit);
                }

                await copy.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            }

            copy.Position = 0;
            return copy;
        }
        catch
        {
            copy.Dispose();
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The stream's own count of its bytes against <see cref="UploadOptions.ContentLength"/>, when that is why a transfer failed.</summary>
    private static ContentLengthMismatchException? LengthMismatch(Exception exception)
    {
        for (Exception? inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is ContentLengthMismatchException mismatch)
            {
                return mismatch;
            }
        }

        return null;
    }

    /// <summary>The bytes alone, for a PUT with exactly the presigned headers (content headers on the content, the rest on the request).</summary>
    private static TransferContent RawBody(PlannedFile file, Dictionary<string, string>? headers, Transfer transfer, HttpRequestMessage request)
    {
        var part = new StreamPart(file.Content, transfer, file.Length);
        var body = new TransferContent(part, [part], transfer, offsite: true);
        foreach (var header in headers ?? [])
        {
            if (header.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) || header.Key.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                continue; // the transport's to set
            }

            if (!request.Headers.TryAddWithoutValidation(header.Key, header.Value))
            {
                body.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        return body;
    }

    /// <summary>An S3 POST form: every presigned field first, the <c>file</c> part last.</summary>
    private static TransferContent FormBody(PlannedFile file, Dictionary<string, string> fields, Transfer transfer)
    {
        var form = new MultipartFormDataContent();
        foreach (var field in fields)
        {
            form.Add(Field(field.Key, field.Value));
        }

        var part = FilePart(file, "file", transfer);
        form.Add(part);
        return new TransferContent(form, [part], transfer, offsite: true);
    }

    private static StreamPart FilePart(PlannedFile file, string name, Transfer transfer)
    {
        var part = new StreamPart(file.Content, transfer, file.Length);
        if (IsAscii(file.FileName))
        {
            // Raw values, written as they are (both were checked): typed headers cost an upload a parse and a few objects each.
            part.Headers.TryAddWithoutValidation("Content-Type", file.ContentType);
            part.Headers.TryAddWithoutValidation("Content-Disposition", $"form-data; name=\"{name}\"; filename=\"{file.FileName}\"");
            return part;
        }

        part.Headers.ContentType = MediaTypeHeaderValue.Parse(file.ContentType);
        // RFC 5987's UTF-8 form beside the quoted one, which .NET writes MIME-encoded.
        part.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = Quoted(name), FileName = Quoted(file.FileName), FileNameStar = file.FileName };
        return part;
    }

    /// <summary>A text field as a browser sends it: a name and the value, no media type.</summary>
    private static ByteArrayContent Field(string name, string value)
    {
        var field = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(value));
        field.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = Quoted(name) };
        return field;
    }

    private static string Quoted(string text) => "\"" + text + "\"";

    private static bool IsAscii(string text)
    {
        foreach (var c in text)
        {
            if (c > 0x7E)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The bytes all the files hold from their positions, when every stream knows its length (or its caller declared it).</summary>
    private static long? TotalOf(PlannedFile[] files)
    {
        long total = 0;
        foreach (var file in files)
        {
            if (!file.Content.CanSeek)
            {
                if (file.Length is not { } declared)
                {
                    return null;
                }

                total += declared;
                continue;
            }

            total += Math.Max(0, file.Content.Length - file.Content.Position);
        }

        return total;
    }

    private async Task<SignedUrl> SignAsync(string fileId, int seconds, CancellationToken cancellationToken)
    {
        var storage = _storage;
        var answer = await storage.Api.CreateSignedUrlAsync(ProjectId, BucketId, fileId, new SignedUrlBody { ExpiresIn = seconds }, storage.Sessions, cancellationToken).ConfigureAwait(false);
        return StorageWire.ToSignedUrl(answer, storage.Options.BaseUrl);
    }

    /// <summary>
    /// The bytes as a <see cref="DownloadStream"/>, through the API's own download route with a signed URL's token (none for
    /// a public file's URL): the request goes to the base URL, so the client's credentials never travel to a host the
    /// signed URL may name. Both requests are made here rather than through Refit, in one async frame: Refit's request
    /// building, its frames and its answer reading were most of what a download cost beyond a hand-written one.
    /// </summary>
    private async Task<Stream> OpenAsync(string fileId, CancellationToken cancellationToken)
    {
        var storage = _storage;
        var escapedId = Uri.EscapeDataString(fileId);
        string signedUrl;
        using (var sign = storage.NewRequest(HttpMethod.Post, new Uri(string.Concat(FilesUrl, "/", escapedId, "/signed-url"), UriKind.Absolute), JsonBody(DownloadSignBody)))
        {
            HttpResponseMessage signed;
            try
            {
                signed = await storage.Http.SendAsync(sign, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (Untransported(sign, ex, cancellationToken) is { } mapped)
            {
                throw mapped;
            }

            signedUrl = await JsonAnswer.ParseAsync<object?, string>(signed, storage.Errors, null, StorageWire.ReadSignedUrlText, cancellationToken).ConfigureAwait(false);
        }

        // The token alone, unsigned by the client: the API key and a session's token stay off it as before (no session).
        var url = StorageWire.DownloadUrlOf(storage.DownloadsUrl, escapedId, signedUrl);
        using var request = storage.NewRequest(HttpMethod.Get, new Uri(url, UriKind.Absolute), content: null, asUser: false);
        MudbaseRetryHandler.MarkStreamed(request);
        HttpResponseMessage response;
        try
        {
            response = await storage.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (Untransported(request, ex, cancellationToken) is { } mapped)
        {
            throw mapped;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw await StorageAnswer.FailureAsync(response, storage.Errors, orgCall: null).ConfigureAwait(false);
        }

        try
        {
            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return new DownloadStream(response, body);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>
    /// What Refit's transport factory makes of a failure with no answer to a request sent without Refit (null when that is
    /// the failure itself: a <see cref="MudbaseException"/> already, or the caller's cancellation). Used inline rather than
    /// around the send, which would cost each transfer one more async frame.
    /// </summary>
    private static Exception? Untransported(HttpRequestMessage request, Exception exception, CancellationToken cancellationToken) =>
        RefitErrorMapper.FromTransport(request, exception, cancellationToken) is var mapped && mapped != exception ? mapped : null;

    /// <summary>A JSON body as the client's serializer sends one, from bytes already made.</summary>
    private static ByteArrayContent JsonBody(byte[] json)
    {
        var content = new ByteArrayContent(json);
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=utf-8");
        return content;
    }

    private Task<FilePage> ListPageAsync(FileListOptions options, int page, CancellationToken cancellationToken)
    {
        var storage = _storage;
        return MapPageAsync(
            storage.Api.ListFilesAsync(ProjectId, BucketId, page, options.PageSize, options.Search, options.Type, storage.Sessions, cancellationToken),
            (BucketId, page, options.PageSize));
    }

    private static async Task<FilePage> MapPageAsync(Task<FileListAnswer> call, (string BucketId, int Page, int Limit) request) =>
        StorageWire.ToPage(await call.ConfigureAwait(false), request);

    private async IAsyncEnumerable<StoredFile> EnumerateAsync(FileListOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var page = options.Page; ; page++)
        {
            var result = await Operation.RunAsync("mudbase.storage.list_files", this, (options, page), static (b, a, ct) => b.ListPageAsync(a.options, a.page, ct), cancellationToken)
                .ConfigureAwait(false);
            foreach (var file in result.Items)
            {
                // A page in hand is no reason to go on after the caller has cancelled.
                cancellationToken.ThrowIfCancellationRequested();
                yield return file;
            }

            if (!result.HasMore || result.Items.Count == 0)
            {
                yield break;
            }
        }
    }

    /// <summary>The options as they will be used (a copy: the caller may change theirs meanwhile), checked.</summary>
    private static FileListOptions CheckList(FileListOptions? options)
    {
        var copy = new FileListOptions
        {
            Page = options?.Page ?? 1,
            PageSize = options?.PageSize ?? 20,
            Search = options?.Search,
            Type = options?.Type,
        };
        MudbaseStorage.CheckPage(copy.Page, copy.PageSize, nameof(options));
        Guard.NullOrNotBlank(copy.Search, "options.Search");
        Guard.NullOrNotBlank(copy.Type, "options.Type");
        return copy;
    }

    /// <summary>A file to send, checked: a readable stream, a bare file name, a media type (given, else inferred).</summary>
    private static PlannedFile Plan(Stream? content, string fileName, string? contentType, UploadOptions? options, string contentParam, string nameParam, string typeParam)
    {
        if (content is null)
        {
            throw new ArgumentNullException(contentParam, $"{contentParam} is required.");
        }

        if (!content.CanRead)
        {
            throw new ArgumentException($"{contentParam} must be readable.", contentParam);
        }

        CheckFileName(fileName, nameParam);
        MudbaseStorage.CheckContentType(contentType, typeParam);
        MudbaseStorage.CheckContentType(options?.ContentType, "options.ContentType");
        return new PlannedFile(content, fileName, contentType ?? options?.ContentType ?? ContentTypes.FromFileName(fileName), CheckLength(content, options));
    }

    /// <summary>
    /// <see cref="UploadOptions.ContentLength"/>, checked: not negative, and the length of a stream that can say its own.
    /// Null for a stream that can seek (it says its length itself), or when none was given.
    /// </summary>
    private static long? CheckLength(Stream content, UploadOptions? options)
    {
        if (options?.ContentLength is not { } length)
        {
            return null;
        }

        if (length < 0)
        {
            throw new ArgumentException($"options.ContentLength is {length}: a length cannot be negative.", "options.ContentLength");
        }

        if (content.CanSeek)
        {
            var remaining = Math.Max(0, content.Length - content.Position);
            return remaining == length
                ? null
                : throw new ArgumentException($"options.ContentLength is {length}, but the stream holds {remaining} bytes from its position.", "options.ContentLength");
        }

        return length;
    }

    private static void CheckFileName(string fileName, string paramName)
    {
        Guard.NotBlank(fileName, paramName);
        if (fileName.AsSpan().IndexOfAny('/', '\\') >= 0)
        {
            throw new ArgumentException($"{paramName} must be a file name without a folder: it holds a path separator.", paramName);
        }

        if (fileName.AsSpan().IndexOf('"') >= 0)
        {
            // The multipart header quotes the name, and .NET writes no escaped quote there (nor may a Windows file name hold one).
            throw new ArgumentException($"{paramName} must not hold a double quote.", paramName);
        }
    }
}

#pragma warning restore RS0026

/// <summary>A file checked and ready to send; <paramref name="Length"/> is the length the caller declared for a stream that cannot seek.</summary>
internal readonly record struct PlannedFile(Stream Content, string FileName, string ContentType, long? Length = null);
