using System.Text.Json.Nodes;

namespace Mudbase.Emulator;

/// <summary>
/// A collection to create with <see cref="MudbaseEmulator.CreateCollection"/>: the same schema a developer
/// sends to <c>POST /api/schemas/projects/{projectId}/collections</c>, checked the same way.
/// </summary>
/// <example>
/// <code>
/// emulator.CreateCollection(new EmulatorCollectionOptions("todos")
/// {
///     Fields = { new EmulatorCollectionField("title", "string") { Required = true } },
///     Permissions = { new EmulatorCollectionGrant("authenticated", "create", "read", "update", "delete") { Condition = new JsonObject { ["userId"] = "$userId" } } },
/// });
/// </code>
/// </example>
public sealed class EmulatorCollectionOptions
{
    /// <summary>Creates the options of a collection named <paramref name="name"/>.</summary>
    /// <param name="name">The collection's name; the data routes accept it (or the slug, or the <c>_id</c>) as the collection.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space.</exception>
    public EmulatorCollectionOptions(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
    }

    /// <summary>The collection's name.</summary>
    public string Name { get; }

    /// <summary>The slug (lower-case letters, digits, <c>-</c> and <c>_</c>); <see langword="null"/> to make one from <see cref="Name"/>.</summary>
    public string? Slug { get; set; }

    /// <summary>The declared fields. Documents may carry others too: they are stored as sent.</summary>
    public IList<EmulatorCollectionField> Fields { get; } = [];

    /// <summary>
    /// Who may do what. Without a grant a caller is refused (403, or 401 without a credential); the
    /// emulator's API key may do everything.
    /// </summary>
    public IList<EmulatorCollectionGrant> Permissions { get; } = [];
}

/// <summary>A field of a collection's schema, checked on every document write.</summary>
public sealed class EmulatorCollectionField
{
    /// <summary>Creates a field.</summary>
    /// <param name="name">The field's name, as in the documents.</param>
    /// <param name="type">
    /// One of <c>string number boolean date datetime email url text array object reference file enum json</c>.
    /// </param>
    /// <exception cref="ArgumentException"><paramref name="name"/> or <paramref name="type"/> is empty or white space.</exception>
    public EmulatorCollectionField(string name, string type)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(type);
        Name = name;
        Type = type;
    }

    /// <summary>The field's name.</summary>
    public string Name { get; }

    /// <summary>The field's type.</summary>
    public string Type { get; }

    /// <summary>Whether a new document must have a non-null value (or a <see cref="Default"/>), and an update may not clear it.</summary>
    public bool Required { get; set; }

    /// <summary>Whether no two documents may hold the same non-null value; a clash is 409 <c>duplicate_key</c>.</summary>
    public bool Unique { get; set; }

    /// <summary>The value a new document gets when it leaves the field out; <see langword="null"/> for none.</summary>
    public JsonNode? Default { get; set; }

    /// <summary>
    /// Extra rules, as the wire's <c>validation</c> object: <c>enum</c> (allowed values), <c>min</c> and <c>max</c>
    /// (a number's value, a string's length, an array's count), <c>minLength</c>, <c>maxLength</c>, and <c>pattern</c>
    /// (a .NET regular expression); <see langword="null"/> for none.
    /// </summary>
    public JsonObject? Validation { get; set; }
}

/// <summary>A grant: a role may do some actions on a collection's documents, on every row or on those matching a condition.</summary>
public sealed class EmulatorCollectionGrant
{
    /// <summary>Creates a grant.</summary>
    /// <param name="role">
    /// <c>public</c> (everyone, without any credential too), <c>authenticated</c> (every signed-in project user,
    /// guests included), or an app role such as <c>customer</c>, matched on the user's <c>customRole</c>.
    /// </param>
    /// <param name="actions">Any of <c>create</c>, <c>read</c>, <c>update</c>, <c>delete</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="role"/> is empty or white space.</exception>
    public EmulatorCollectionGrant(string role, params string[] actions)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(role);
        ArgumentNullException.ThrowIfNull(actions);
        Role = role;
        Actions = [.. actions];
    }

    /// <summary>The role granted to.</summary>
    public string Role { get; }

    /// <summary>The actions granted.</summary>
    public IReadOnlyList<string> Actions { get; }

    /// <summary>
    /// The rows the grant covers, as a filter such as <c>{"userId":"$userId"}</c>: <c>$userId</c> stands for the
    /// caller's id. It is written into new documents, and every read, update and delete sees only matching rows.
    /// <see langword="null"/> (the default) for every row.
    /// </summary>
    public JsonObject? Condition { get; set; }
}
