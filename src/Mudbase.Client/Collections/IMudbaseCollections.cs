namespace Mudbase.Collections;

/// <summary>
/// Collection schemas (the JavaScript SDK's <c>client.collections</c>): read them as anyone allowed to, and create,
/// change and delete them with the project's API key. Calls are made as the signed-in user; without one, with the API
/// key if the options have one.
/// </summary>
/// <remarks>
/// Creating, updating and deleting need an org role (owner, admin, developer) or an API key: a project user's token gets
/// a <see cref="MudbaseForbiddenException"/> (its <see cref="MudbaseForbiddenException.RequiredRoles"/> lists the roles).
/// In a server app, make those calls with a client whose options set <see cref="MudbaseClientOptions.ApiKey"/> and that
/// has no user signed in (a signed-in user's token is tried before the key).
/// </remarks>
/// <example>
/// <code>
/// var todos = await admin.Collections.CreateAsync(new CreateCollectionRequest
/// {
///     Name = "todos",
///     Fields = [new SchemaField("title", SchemaFieldTypes.String, required: true), new SchemaField("done", SchemaFieldTypes.Boolean, defaultValue: false)],
///     Permissions = [new CollectionPermission("customer", ["create", "read", "update", "delete"], condition: new JsonObject { ["userId"] = "$userId" })],
/// });
/// </code>
/// </example>
public interface IMudbaseCollections
{
    /// <summary>Lists the project's collections.</summary>
    /// <param name="projectId">The project; when null, <see cref="MudbaseClientOptions.ProjectId"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Every collection of the project, as the server orders them.</returns>
    /// <exception cref="ArgumentException"><paramref name="projectId"/> is blank, or there is no project id.</exception>
    /// <exception cref="MudbaseForbiddenException">The caller may not read the project's schemas.</exception>
    /// <exception cref="MudbaseException">The call failed; the exception says why.</exception>
    Task<IReadOnlyList<CollectionSchema>> ListAsync(string? projectId = null, CancellationToken cancellationToken = default);

    /// <summary>Gets one collection's schema.</summary>
    /// <param name="collectionId">The collection's id.</param>
    /// <param name="projectId">The project; when null, <see cref="MudbaseClientOptions.ProjectId"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The schema.</returns>
    /// <exception cref="ArgumentException">An id is blank, or there is no project id.</exception>
    /// <exception cref="MudbaseNotFoundException">There is no such collection.</exception>
    /// <exception cref="MudbaseException">The call failed; the exception says why.</exception>
    Task<CollectionSchema> GetAsync(string collectionId, string? projectId = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates a collection (an org role or the API key is needed). Never sent twice: after an answer that may mean it
    /// was created, the call fails rather than risk a second collection.
    /// </summary>
    /// <param name="request">The new collection: its name and fields, and optionally its slug, permissions and settings.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The collection as stored, with its id.</returns>
    /// <exception cref="ArgumentException">The request is null, or has a blank name, no fields, a field without a name or type, or two fields of one name.</exception>
    /// <exception cref="MudbaseForbiddenException">The caller is a project user, not an org member or the API key.</exception>
    /// <exception cref="MudbaseValidationException">The server refused the schema; the message says why.</exception>
    /// <exception cref="MudbaseException">The call failed; the exception says why.</exception>
    Task<CollectionSchema> CreateAsync(CreateCollectionRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Changes what <paramref name="request"/> sets (an org role or the API key is needed). Not re-sent after an answer
    /// that may mean it was applied.
    /// </summary>
    /// <param name="collectionId">The collection's id.</param>
    /// <param name="request">What to change: at least one of name, fields, permissions and settings.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The collection as stored.</returns>
    /// <exception cref="ArgumentException">An id is blank, the request is null or changes nothing, or its fields are empty or have a blank name or type.</exception>
    /// <exception cref="MudbaseForbiddenException">The caller is a project user, not an org member or the API key.</exception>
    /// <exception cref="MudbaseNotFoundException">There is no such collection.</exception>
    /// <exception cref="MudbaseException">The call failed; the exception says why.</exception>
    Task<CollectionSchema> UpdateAsync(string collectionId, UpdateCollectionRequest request, CancellationToken cancellationToken = default);

    /// <summary>Deletes a collection (an org role or the API key is needed).</summary>
    /// <param name="collectionId">The collection's id.</param>
    /// <param name="projectId">The project; when null, <see cref="MudbaseClientOptions.ProjectId"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the server has deleted it.</returns>
    /// <exception cref="ArgumentException">An id is blank, or there is no project id.</exception>
    /// <exception cref="MudbaseForbiddenException">The caller is a project user, not an org member or the API key.</exception>
    /// <exception cref="MudbaseNotFoundException">There is no such collection (for example, a retry after the delete went through).</exception>
    /// <exception cref="MudbaseException">The call failed; the exception says why.</exception>
    Task DeleteAsync(string collectionId, string? projectId = null, CancellationToken cancellationToken = default);
}
