using System.Linq.Expressions;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Mudbase.Diagnostics;
using Mudbase.Http;
using Mudbase.Internal;
using Mudbase.Serialization;

namespace Mudbase.Data;

/// <summary>
/// A collection's documents: get, create, update and delete them, and query them. A cheap, immutable handle (no request
/// is made to create it): keep it, share it between threads. Every query method starts a <see cref="DocumentQuery{T}"/>
/// over the whole collection.
/// </summary>
/// <typeparam name="T">The document type: your own, or <see cref="MudbaseDocument"/>.</typeparam>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "The name is the API's contract: a collection of documents, as the JavaScript SDK calls it; it is no .NET collection type.")]
public sealed class DocumentCollection<T>
{
    private JsonTypeInfo<ListAnswer<T>>? _listAnswerTypeInfo;
    private JsonTypeInfo<DocumentAnswer<T>>? _documentAnswerTypeInfo;

    internal DocumentCollection(MudbaseData data, string collectionId, string projectId, JsonTypeInfo<T> typeInfo)
    {
        Data = data;
        CollectionId = collectionId;
        ProjectId = projectId;
        TypeInfo = typeInfo;
        All = new DocumentQuery<T>(this);
    }

    /// <summary>The collection's id, as given.</summary>
    public string CollectionId { get; }

    /// <summary>The project the collection belongs to.</summary>
    public string ProjectId { get; }

    internal MudbaseData Data { get; }

    internal JsonTypeInfo<T> TypeInfo { get; }

    /// <summary>A list answer around these documents, made on first use and kept with the handle.</summary>
    internal JsonTypeInfo<ListAnswer<T>> ListAnswerTypeInfo => _listAnswerTypeInfo ??= DataWire.ListAnswerOf(TypeInfo);

    /// <summary>A single-document answer around this type, made on first use and kept with the handle.</summary>
    internal JsonTypeInfo<DocumentAnswer<T>> DocumentAnswerTypeInfo => _documentAnswerTypeInfo ??= DataWire.DocumentAnswerOf(TypeInfo);

    /// <summary>The query over every document, in the server's default order (newest first).</summary>
    internal DocumentQuery<T> All { get; }

    /// <summary>Gets one document.</summary>
    /// <param name="documentId">The document's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The document.</returns>
    /// <exception cref="ArgumentException"><paramref name="documentId"/> is blank.</exception>
    /// <exception cref="MudbaseNotFoundException">There is no such document, or the caller may not see it.</exception>
    /// <exception cref="MudbaseException">The call failed; the exception says why.</exception>
    public Task<T> GetAsync(string documentId, CancellationToken cancellationToken = default)
    {
        Guard.NotBlank(documentId, nameof(documentId));
        return Operation.RunAsync("mudbase.data.get", this, documentId, static (c, id, ct) => JsonAnswer.ReadAsync(
            c.Data.Api.GetAsync(c.ProjectId, c.CollectionId, id, c.Data.Sessions, ct), c.Data.Errors, c, DataWire.ReadDocument, ct), cancellationToken);
    }

    /// <summary>
    /// Creates a document from <paramref name="document"/> and returns it as stored (with its id and timestamps). Never sent
    /// twice: after an answer that may mean it was created, the call fails rather than risk a second document.
    /// </summary>
    /// <param name="document">The new document; its id, if any, is the server's to accept or ignore.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored document.</returns>
    /// <exception cref="MudbaseValidationException">The server refused the contents; the message says which field.</exception>
    /// <exception cref="MudbaseForbiddenException">The caller's role may not create here, or the document sets a protected field.</exception>
    /// <exception cref="MudbaseConflictException">A unique field already holds the value (<see cref="MudbaseConflictException.Field"/>).</exception>
    /// <exception cref="MudbaseException">The call failed; the exception says why.</exception>
    public Task<T> CreateAsync(T document, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        var body = MudbaseContentSerializer.ToJsonContent(document, TypeInfo);
        return Operation.RunAsync("mudbase.data.create", this, body, static (c, body, ct) => JsonAnswer.ReadAsync(
            c.Data.Api.CreateAsync(c.ProjectId, c.CollectionId, body, c.Data.Sessions, ct), c.Data.Errors, c, DataWire.ReadDocument, ct), cancellationToken);
    }

    /// <summary>
    /// Changes only the fields in <paramref name="changes"/> (a JSON null clears one) and returns the document as stored.
    /// Not re-sent after an answer that may mean it was applied.
    /// </summary>
    /// <param name="documentId">The document's id.</param>
    /// <param name="changes">The fields to set, for example <c>new JsonObject { ["done"] = true, ["dueAt"] = null }</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored document.</returns>
    /// <exception cref="ArgumentException"><paramref name="documentId"/> is blank.</exception>
    /// <exception cref="MudbaseNotFoundException">There is no such document, or the caller may not see it.</exception>
    /// <exception cref="MudbaseException">The call failed; the exception says why.</exception>
    public Task<T> UpdateAsync(string documentId, JsonObject changes, CancellationToken cancellationToken = default)
    {
        Guard.NotBlank(documentId, nameof(documentId));
        ArgumentNullException.ThrowIfNull(changes);
        var body = MudbaseContentSerializer.ToJsonContent<JsonNode>(changes, MudbaseJsonContext.Default.JsonNode);
        return Operation.RunAsync("mudbase.data.update", this, (documentId, body), static (c, arg, ct) => JsonAnswer.ReadAsync(
            c.Data.Api.UpdateAsync(c.ProjectId, c.CollectionId, arg.documentId, arg.body, c.Data.Sessions, ct), c.Data.Errors, c, DataWire.ReadDocument, ct),
            cancellationToken);
    }

    /// <summary>Deletes a document.</summary>
    /// <param name="documentId">The document's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the server has deleted it.</returns>
    /// <exception cref="ArgumentException"><paramref name="documentId"/> is blank.</exception>
    /// <exception cref="MudbaseNotFoundException">There is no such document (for example, a retry after the delete went through).</exception>
    /// <exception cref="MudbaseException">The call failed; the exception says why.</exception>
    public Task DeleteAsync(string documentId, CancellationToken cancellationToken = default)
    {
        Guard.NotBlank(documentId, nameof(documentId));
        return Operation.RunAsync("mudbase.data.delete", this, documentId, static (c, id, ct) => JsonAnswer.ExpectSuccessAsync(
            c.Data.Api.DeleteAsync(c.ProjectId, c.CollectionId, id, c.Data.Sessions, ct), c.Data.Errors), cancellationToken);
    }

    /// <inheritdoc cref="DocumentQuery{T}.Where(Filter)" />
    public DocumentQuery<T> Where(Filter filter) => All.Where(filter);

    /// <inheritdoc cref="DocumentQuery{T}.Where(Expression{Func{T, bool}})" />
    public DocumentQuery<T> Where(Expression<Func<T, bool>> predicate) => All.Where(predicate);

    /// <inheritdoc cref="DocumentQuery{T}.OrderBy(string)" />
    public DocumentQuery<T> OrderBy(string field) => All.OrderBy(field);

    /// <inheritdoc cref="DocumentQuery{T}.OrderByDescending(string)" />
    public DocumentQuery<T> OrderByDescending(string field) => All.OrderByDescending(field);

    /// <inheritdoc cref="DocumentQuery{T}.Select(string[])" />
    public DocumentQuery<T> Select(params string[] fields) => All.Select(fields);

    /// <inheritdoc cref="DocumentQuery{T}.PageSize(int)" />
    public DocumentQuery<T> PageSize(int limit) => All.PageSize(limit);

    /// <inheritdoc cref="DocumentQuery{T}.GetPageAsync(int, CancellationToken)" />
    public Task<DocumentPage<T>> GetPageAsync(int page = 1, CancellationToken cancellationToken = default) => All.GetPageAsync(page, cancellationToken);

    /// <inheritdoc cref="DocumentQuery{T}.ToAsyncEnumerable(CancellationToken)" />
    public IAsyncEnumerable<T> ToAsyncEnumerable(CancellationToken cancellationToken = default) => All.ToAsyncEnumerable(cancellationToken);

    /// <inheritdoc cref="DocumentQuery{T}.CountAsync(CancellationToken)" />
    public Task<long> CountAsync(CancellationToken cancellationToken = default) => All.CountAsync(cancellationToken);

    /// <inheritdoc cref="DocumentQuery{T}.FirstOrDefaultAsync(CancellationToken)" />
    public Task<T?> FirstOrDefaultAsync(CancellationToken cancellationToken = default) => All.FirstOrDefaultAsync(cancellationToken);

    /// <inheritdoc />
    public override string ToString() => $"DocumentCollection<{typeof(T).Name}> {{ ProjectId = {ProjectId}, CollectionId = {CollectionId} }}";

    /// <summary>
    /// The collection's changes as they happen: every document created, updated or deleted that the user may read, from
    /// the moment the server acknowledged the subscription. Nothing is lost silently: when the connection is lost the
    /// stream yields <see cref="Realtime.CollectionEvent{T}.Disconnected"/>, and once it is back, one
    /// <see cref="Realtime.CollectionEvent{T}.Resynced"/> with every change missed meanwhile. Leaving the
    /// <c>await foreach</c> (or cancelling) unsubscribes.
    /// </summary>
    /// <param name="options">The buffer and what to do when the consumer falls behind; <see cref="Realtime.WatchOptions.IncludeExisting"/> starts with the existing documents.</param>
    /// <param name="cancellationToken">Ends the stream.</param>
    /// <returns>The events, for one consumer.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="options"/> holds a value out of range (thrown at once).</exception>
    /// <exception cref="MudbaseAuthenticationException">Thrown by the stream: no signed-in user, or the server kept refusing the session's token.</exception>
    /// <exception cref="MudbaseForbiddenException">Thrown by the stream: the user may not read this collection.</exception>
    public IAsyncEnumerable<Realtime.CollectionEvent<T>> WatchAsync(Realtime.WatchOptions? options = null, CancellationToken cancellationToken = default) =>
        Realtime.RealtimeStreams.Collection(this, options, cancellationToken);

    /// <summary>
    /// One document as it changes: first its current state (<see cref="Realtime.DocumentSnapshot{T}.Exists"/> false when
    /// there is none), then a snapshot after each change, and one with <see cref="Realtime.DocumentSnapshot{T}.IsResync"/>
    /// after a lost connection is back.
    /// </summary>
    /// <param name="documentId">The document's id.</param>
    /// <param name="options">The buffer and what to do when the consumer falls behind (older snapshots are replaced by newer ones).</param>
    /// <param name="cancellationToken">Ends the stream.</param>
    /// <returns>The snapshots, for one consumer.</returns>
    /// <exception cref="ArgumentException"><paramref name="documentId"/> is blank (thrown at once).</exception>
    public IAsyncEnumerable<Realtime.DocumentSnapshot<T>> WatchDocumentAsync(string documentId, Realtime.WatchOptions? options = null, CancellationToken cancellationToken = default) =>
        Realtime.RealtimeStreams.Document(this, documentId, options, cancellationToken);
}
