using System.Net.Http.Headers;
using Mudbase.Auth;
using Mudbase.Diagnostics;
using Mudbase.Http;
using Mudbase.Internal;
using Mudbase.Serialization;

namespace Mudbase.Storage;

/// <summary>The storage area of one client or view: the bucket calls, and what its bucket handles share (the Refit client, and the request an upload is sent as).</summary>
internal sealed class MudbaseStorage : IMudbaseStorage
{
    /// <summary>The base URL up to its path, without the last slash: routes are appended to it, as Refit appends them.</summary>
    private readonly string _root;
    private string? _downloadsUrl;

    public MudbaseStorage(IStorageApi api, RefitErrorMapper errors, MudbaseClientOptions options, SessionManager sessions, HttpClient http)
    {
        Api = api;
        Errors = errors;
        Options = options;
        Sessions = sessions;
        Http = http;
        _root = options.BaseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');
    }

    public IStorageApi Api { get; }

    /// <summary>Where a direct upload copies a stream that cannot seek before sending it (the system's temporary folder; a test's own).</summary>
    internal string TemporaryFolder { get; set; } = Path.GetTempPath();

    /// <summary>The URL the download route's file ids follow: <c>…/api/bucket/files/</c>.</summary>
    public string DownloadsUrl => _downloadsUrl ??= UrlOf("/api/bucket/files/");

    /// <summary>The URL of an API route (<c>/api/…</c>, its values already escaped): the base URL's path, then the route, as Refit joins them.</summary>
    public string UrlOf(string route) => _root + route;

    public RefitErrorMapper Errors { get; }

    public MudbaseClientOptions Options { get; }

    public SessionManager Sessions { get; }

    /// <summary>The client's HttpClient: for a direct upload's bytes, which go to a presigned URL rather than an API route, and for uploads (<see cref="NewRequest"/>).</summary>
    public HttpClient Http { get; }

    /// <summary>
    /// A request to an API route, made as the view's user when one is signed in, else with the API key. Transfers (uploads,
    /// and a download's two requests) are sent this way rather than through Refit: a streamed body is passed through as it
    /// is, and Refit's request building and its three async frames per call were a quarter of an upload's own allocations.
    /// </summary>
    /// <param name="method">The method.</param>
    /// <param name="url">An API route's URL (<see cref="UrlOf"/>).</param>
    /// <param name="content">The body, if any.</param>
    /// <param name="asUser">Whether it carries the view's session (else it goes as it is, with the API key if there is one).</param>
    public HttpRequestMessage NewRequest(HttpMethod method, Uri url, HttpContent? content, bool asUser = true)
    {
        var request = new HttpRequestMessage(method, url) { Content = content };
        // Signed out (and restored): the session handler would pass the request through as it is, so it need not carry the
        // session, nor the options table that holding it costs.
        if (asUser && !(Sessions.TryGetFresh(out var current) && current is null))
        {
            request.Options.Set(MudbaseAuthenticationHandler.SessionKey, Sessions);
        }

        return request;
    }

    public Task<BucketPage> ListBucketsAsync(BucketListOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new BucketListOptions();
        CheckPage(options.Page, options.PageSize, nameof(options));
        Guard.NullOrNotBlank(options.Search, "options.Search");
        var project = Guard.ProjectId(options.ProjectId, Options.ProjectId, "options.ProjectId");
        return Operation.RunAsync("mudbase.storage.list_buckets", this, (project, options.Page, options.PageSize, options.Search), static async (s, a, ct) =>
            StorageWire.ToPage(await s.Api.ListBucketsAsync(a.project, a.Page, a.PageSize, a.Search, s.Sessions, ct).ConfigureAwait(false), (a.Page, a.PageSize)),
            cancellationToken);
    }

    public Task<StorageBucket> GetBucketAsync(string bucketId, string? projectId = null, CancellationToken cancellationToken = default)
    {
        Guard.NotBlank(bucketId, nameof(bucketId));
        var project = Guard.ProjectId(projectId, Options.ProjectId, nameof(projectId));
        return Operation.RunAsync("mudbase.storage.get_bucket", this, (project, bucketId), static (s, a, ct) =>
            s.Api.GetBucketAsync(a.project, a.bucketId, s.Sessions, ct), StorageWire.ToBucket, cancellationToken);
    }

    public Task<StorageBucket> CreateBucketAsync(CreateBucketRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Guard.NotBlank(request.Name, "request.Name");
        var project = Guard.ProjectId(request.ProjectId, Options.ProjectId, "request.ProjectId");
        var body = new BucketBody { Name = request.Name, IsPublic = request.IsPublic, Settings = request.Settings };
        return Operation.RunAsync("mudbase.storage.create_bucket", this, (project, body), static (s, a, ct) =>
            StorageAnswer.ReadAsync(s.Api.CreateBucketAsync(a.project, a.body, s.Sessions, ct), s.Errors, "Creating a bucket", MudbaseJsonContext.Default.BucketAnswer, ct),
            StorageWire.ToBucket, cancellationToken);
    }

    public Task<StorageBucket> UpdateBucketAsync(string bucketId, UpdateBucketRequest request, CancellationToken cancellationToken = default)
    {
        Guard.NotBlank(bucketId, nameof(bucketId));
        ArgumentNullException.ThrowIfNull(request);
        if (request is { Name: null, IsPublic: null, Settings: null })
        {
            throw new ArgumentException("request changes nothing: set at least one of Name, IsPublic and Settings.", nameof(request));
        }

        Guard.NullOrNotBlank(request.Name, "request.Name");
        var project = Guard.ProjectId(request.ProjectId, Options.ProjectId, "request.ProjectId");
        var body = new BucketBody { Name = request.Name, IsPublic = request.IsPublic, Settings = request.Settings };
        return Operation.RunAsync("mudbase.storage.update_bucket", this, (project, bucketId, body), static (s, a, ct) =>
            StorageAnswer.ReadAsync(s.Api.UpdateBucketAsync(a.project, a.bucketId, a.body, s.Sessions, ct), s.Errors, "Changing a bucket", MudbaseJsonContext.Default.BucketAnswer, ct),
            StorageWire.ToBucket, cancellationToken);
    }

    public Task DeleteBucketAsync(string bucketId, string? projectId = null, CancellationToken cancellationToken = default)
    {
        Guard.NotBlank(bucketId, nameof(bucketId));
        var project = Guard.ProjectId(projectId, Options.ProjectId, nameof(projectId));
        return Operation.RunAsync("mudbase.storage.delete_bucket", this, (project, bucketId), static (s, a, ct) =>
            StorageAnswer.ExpectSuccessAsync(s.Api.DeleteBucketAsync(a.project, a.bucketId, s.Sessions, ct), s.Errors, "Deleting a bucket"), cancellationToken);
    }

    public BucketFiles Bucket(string bucketId, string? projectId = null)
    {
        Guard.NotBlank(bucketId, nameof(bucketId));
        return new BucketFiles(this, bucketId, Guard.ProjectId(projectId, Options.ProjectId, nameof(projectId)));
    }

    public Task<Uri> GetDownloadUrlAsync(string fileId, TimeSpan? expiresIn = null, CancellationToken cancellationToken = default)
    {
        Guard.NotBlank(fileId, nameof(fileId));
        int? seconds = expiresIn is { } e ? Seconds(e, nameof(expiresIn)) : null;
        return Operation.RunAsync("mudbase.storage.get_download_url", this, (fileId, seconds), static async (s, a, ct) =>
            StorageWire.ToSignedUrl(await s.Api.GetDownloadUrlAsync(a.fileId, a.seconds, s.Sessions, ct).ConfigureAwait(false), s.Options.BaseUrl).Url,
            cancellationToken);
    }

    /// <summary>A lifetime as the whole seconds the API takes (rounded up, so a positive span is never zero).</summary>
    internal static int Seconds(TimeSpan expiresIn, string paramName)
    {
        if (expiresIn <= TimeSpan.Zero || expiresIn.TotalSeconds > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(paramName, expiresIn, $"{paramName} must be positive (and under {int.MaxValue} seconds).");
        }

        return (int)Math.Ceiling(expiresIn.TotalSeconds);
    }

    internal static void CheckPage(int page, int pageSize, string paramName)
    {
        if (page < 1)
        {
            throw new ArgumentOutOfRangeException($"{paramName}.Page", page, $"{paramName}.Page starts at 1.");
        }

        if (pageSize is < 1 or > 100)
        {
            throw new ArgumentOutOfRangeException($"{paramName}.PageSize", pageSize, $"{paramName}.PageSize must be 1 to 100.");
        }
    }

    /// <summary>A media type the wire accepts (<c>type/subtype</c>, parameters allowed); null when none is given.</summary>
    internal static void CheckContentType(string? contentType, string paramName)
    {
        Guard.NullOrNotBlank(contentType, paramName);
        if (contentType is not null && (!MediaTypeHeaderValue.TryParse(contentType, out var parsed) || parsed.MediaType?.IndexOf('/') is null or < 1))
        {
            throw new ArgumentException($"{paramName} is not a media type such as image/png.", paramName);
        }
    }
}
