using System.Text.Json.Serialization.Metadata;

namespace Mudbase.Data;

/// <summary>
/// Documents (the JavaScript SDK's <c>client.data</c>): a handle per collection, typed with your own class or record, or
/// untyped as <see cref="MudbaseDocument"/>. Calls are made as the signed-in user; without one, with the API key if the
/// options have one, else anonymously (a collection readable by <c>public</c> answers anyone).
/// </summary>
/// <example>
/// <code>
/// var todos = client.Data.Collection("todos", AppJson.Default.Todo);
/// var created = await todos.CreateAsync(new Todo { Title = "Write docs", Priority = 2 });
/// await foreach (var todo in todos.Where(t => t.Priority &gt; 1).OrderBy("title").ToAsyncEnumerable()) { … }
/// </code>
/// </example>
// RS0026: the two Collection overloads (untyped, typed) are the API's contract, and differ by a required parameter.
#pragma warning disable RS0026
public interface IMudbaseData
{
    /// <summary>A collection of untyped documents, which keep every field the server sent.</summary>
    /// <param name="collectionId">The collection's id (its 24-hex <c>_id</c>, or the name the server also accepts).</param>
    /// <param name="projectId">The project; when null, <see cref="MudbaseClientOptions.ProjectId"/>.</param>
    /// <returns>A cheap, immutable handle: no request is made.</returns>
    /// <exception cref="ArgumentException">An id is blank, or there is no project id.</exception>
    DocumentCollection<MudbaseDocument> Collection(string collectionId, string? projectId = null);

    /// <summary>A collection of documents of your own type, described by your source-generated JSON context (no reflection: Native AOT works).</summary>
    /// <typeparam name="T">Your document type: map its id with <c>[JsonPropertyName("_id")]</c>, and keep unknown fields with <c>[JsonExtensionData]</c>.</typeparam>
    /// <param name="collectionId">The collection's id (its 24-hex <c>_id</c>, or the name the server also accepts).</param>
    /// <param name="typeInfo">The type's metadata, for example <c>AppJson.Default.Todo</c>.</param>
    /// <param name="projectId">The project; when null, <see cref="MudbaseClientOptions.ProjectId"/>.</param>
    /// <returns>A cheap, immutable handle: no request is made.</returns>
    /// <exception cref="ArgumentException">An id is blank, or there is no project id.</exception>
    DocumentCollection<T> Collection<T>(string collectionId, JsonTypeInfo<T> typeInfo, string? projectId = null);
}
#pragma warning restore RS0026
