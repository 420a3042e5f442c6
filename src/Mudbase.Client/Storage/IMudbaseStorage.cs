namespace Mudbase.Storage;

/// <summary>
/// Buckets and files (the JavaScript SDK's <c>client.storage</c>). Uploads stream from any <see cref="Stream"/> and
/// downloads stream as they arrive, both with progress and cancellation, in constant memory whatever the size. Calls are
/// made as the signed-in user; without one, with the API key if the options have one.
/// </summary>
/// <remarks>
/// Listing and reading buckets and files and making signed URLs are open to project users. Uploading, deleting files and
/// creating, changing or deleting buckets are org calls: they need an org role (owner, admin, developer) or the API key,
/// and a project user's token gets a <see cref="MudbaseForbiddenException"/> that says so. In a server app, make them with
/// a client whose options set <see cref="MudbaseClientOptions.ApiKey"/> and that has no user signed in (a signed-in user's
/// token is tried before the key).
/// </remarks>
/// <example>
/// <code>
/// var avatars = admin.Storage.Bucket("6863b2a0e129932fbb7a3001");
/// await using var file = File.OpenRead("photo.jpg");
/// var stored = await avatars.UploadAsync(file, "photo.jpg", new UploadOptions { Progress = new Progress&lt;TransferProgress&gt;(p =&gt; Console.Write($"\r{p.BytesTransferred}")) });
/// var link = await avatars.CreateSignedUrlAsync(stored.Id, TimeSpan.FromMinutes(10));
/// </code>
/// </example>
public interface IMudbaseStorage
{
    /// <summary>Lists the project's buckets, one page.</summary>
    /// <param name="options">The page, its size, a name filter and the project; null for the first 20.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page.</returns>
    /// <exception cref="ArgumentException">A page below 1, a page size outside 1 to 100, a blank search, or no project id.</exception>
    /// <exception cref="MudbaseException">The call failed; the exception says why.</exception>
    Task<BucketPage> ListBucketsAsync(BucketListOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Gets one bucket.</summary>
    /// <param name="bucketId">The bucket's id.</param>
    /// <param name="projectId">The project; when null, <see cref="MudbaseClientOptions.ProjectId"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The bucket.</returns>
    /// <exception cref="ArgumentException">An id is blank, or there is no project id.</exception>
    /// <exception cref="MudbaseNotFoundException">There is no such bucket.</exception>
    /// <exception cref="MudbaseException">The call failed; the exception says why.</exception>
    Task<StorageBucket> GetBucketAsync(string bucketId, string? projectId = null, CancellationToken cancellationToken = default);

    /// <summary>Creates a bucket (an org call: the API key or an org role). Never sent twice after an answer that may mean it was created.</summary>
    /// <param name="request">Its name, and optionally whether it is public and its settings.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The bucket as stored, with its id.</returns>
    /// <exception cref="ArgumentException">The request is null or its name blank, or there is no project id.</exception>
    /// <exception cref="MudbaseForbiddenException">The caller is a project user, not an org member or the API key.</exception>
    /// <exception cref="MudbaseException">The call failed; the exception says why.</exception>
    Task<StorageBucket> CreateBucketAsync(CreateBucketRequest request, CancellationToken cancellationToken = default);

    /// <summary>Changes what <paramref name="request"/> sets (an org call). Not re-sent after an answer that may mean it was applied.</summary>
    /// <param name="bucketId">The bucket's id.</param>
    /// <param name="request">What to change: at least one of name, public flag and settings.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The bucket as stored.</returns>
    /// <exception cref="ArgumentException">An id is blank, the request is null or changes nothing, or there is no project id.</exception>
    /// <exception cref="MudbaseForbiddenException">The caller is a project user, not an org member or the API key.</exception>
    /// <exception cref="MudbaseNotFoundException">There is no such bucket.</exception>
    /// <exception cref="MudbaseException">The call failed; the exception says why.</exception>
    Task<StorageBucket> UpdateBucketAsync(string bucketId, UpdateBucketRequest request, CancellationToken cancellationToken = default);

    /// <summary>Deletes a bucket and every file in it (an org call).</summary>
    /// <param name="bucketId">The bucket's id.</param>
    /// <param name="projectId">The project; when null, <see cref="MudbaseClientOptions.ProjectId"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the server has deleted it.</returns>
    /// <exception cref="ArgumentException">An id is blank, or there is no project id.</exception>
    /// <exception cref="MudbaseForbiddenException">The caller is a project user, not an org member or the API key.</exception>
    /// <exception cref="MudbaseNotFoundException">There is no such bucket.</exception>
    /// <exception cref="MudbaseException">The call failed; the exception says why.</exception>
    Task DeleteBucketAsync(string bucketId, string? projectId = null, CancellationToken cancellationToken = default);

    /// <summary>A bucket's files: a cheap, immutable handle (no request is made); keep it and share it between threads.</summary>
    /// <param name="bucketId">The bucket's id.</param>
    /// <param name="projectId">The project; when null, <see cref="MudbaseClientOptions.ProjectId"/>.</param>
    /// <returns>The handle.</returns>
    /// <exception cref="ArgumentException">An id is blank, or there is no project id.</exception>
    BucketFiles Bucket(string bucketId, string? projectId = null);

    /// <summary>A URL that downloads the file without credentials (<c>GET /api/files/download/{fileId}</c>): signed for a private file, permanent for a public one.</summary>
    /// <param name="fileId">The file's id.</param>
    /// <param name="expiresIn">How long a signed URL lasts (whole seconds, rounded up; the server clamps it); null for the server's default.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The absolute URL. It is a secret until it expires: do not log it.</returns>
    /// <exception cref="ArgumentException"><paramref name="fileId"/> is blank, or <paramref name="expiresIn"/> is not positive.</exception>
    /// <exception cref="MudbaseForbiddenException">The caller may not read the file, or its download limit is reached.</exception>
    /// <exception cref="MudbaseNotFoundException">There is no such file.</exception>
    /// <exception cref="MudbaseException">The call failed; the exception says why.</exception>
    Task<Uri> GetDownloadUrlAsync(string fileId, TimeSpan? expiresIn = null, CancellationToken cancellationToken = default);
}
