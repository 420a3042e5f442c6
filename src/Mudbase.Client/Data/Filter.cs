using System.Globalization;
using System.Text.Json.Nodes;

namespace Mudbase.Data;

/// <summary>
/// A query filter: an immutable Mongo-like JSON object such as
/// <c>{"status":"open","priority":{"$gt":2},"$or":[…]}</c>, sent as the list call's <c>filter</c> parameter.
/// </summary>
/// <remarks>
/// <para>
/// Build one from the factory methods (<see cref="Eq(string, string)"/>, <see cref="Gt(string, int)"/>,
/// <see cref="In(string, string[])"/>, …) and combine them with <see cref="And"/>, <see cref="Or"/>, <c>&amp;</c> and
/// <c>|</c>. Only the operators the server accepts can be expressed: equality, <c>$eq $ne $gt $gte $lt $lte $in $nin
/// $exists $and $or</c>. <see cref="Eq(string, string)"/> is written as plain equality (<c>{"f":v}</c>), except for an
/// object value, which is written <c>{"f":{"$eq":{…}}}</c> so that its keys can never be read as operators.
/// </para>
/// <para>
/// Combining: <see cref="And"/> flattens nested ANDs into one object. Conditions on different fields sit side by side;
/// operator conditions on the same field merge into one object when their operators differ
/// (<c>{"p":{"$gt":1,"$lt":5}}</c>); anything that would clash (the same operator twice, plain equality and an
/// operator, a second <c>$or</c>) goes into an <c>$and</c> array instead, so no condition is ever lost.
/// <see cref="Or"/> flattens nested ORs into one <c>$or</c> array.
/// </para>
/// <para>
/// Values: a <see cref="DateTimeOffset"/> is written in UTC with millisecond precision,
/// <c>yyyy-MM-ddTHH:mm:ss.fffZ</c>: the form JavaScript's <c>Date.toISOString()</c> gives, which is how the server
/// writes <c>createdAt</c> and <c>updatedAt</c>, so string and date comparisons on the server agree. Sub-millisecond
/// digits are dropped. A <see langword="null"/> value is JSON <c>null</c> (on the server, <c>Eq(field, null)</c> also
/// matches documents without the field). Doubles must be finite.
/// </para>
/// <para>
/// Two filters are equal when their JSON means the same: the order of keys, the spelling of numbers
/// (<c>1</c>, <c>1.0</c>), <c>{"f":v}</c> versus <c>{"f":{"$eq":v}}</c>, and the order of the items of <c>$in</c>,
/// <c>$nin</c>, <c>$and</c> and <c>$or</c> do not matter. Equality does not try to prove that two differently shaped
/// filters select the same documents.
/// </para>
/// </remarks>
public sealed class Filter : IEquatable<Filter>
{
    /// <summary>The filter with no condition: it matches every document, and the list call sends no <c>filter</c>.</summary>
    public static Filter Empty { get; } = new(new JsonObject());

    /// <summary>The filter's JSON object. Never handed out and never changed once built.</summary>
    private readonly JsonObject _root;

    // Written on first use (a query is often built, combined and sent once; building stays cheap).
    private string? _json;

    private string? _canonical;

    private Filter(JsonObject root) => _root = root;

    /// <summary>True for <see cref="Empty"/> and any other filter without a condition.</summary>
    public bool IsEmpty => _root.Count == 0;

    /// <summary>The root object (read-only by convention: callers clone before changing anything).</summary>
    internal JsonObject Root => _root;

    // Equality

    /// <summary>Documents whose <paramref name="field"/> equals <paramref name="value"/> (<c>null</c>: is null or missing).</summary>
    /// <param name="field">The field's JSON name; a dotted path (<c>address.city</c>) reaches into nested objects.</param>
    /// <param name="value">The value to compare with.</param>
    /// <returns>The filter.</returns>
    public static Filter Eq(string field, string? value) => Equality(field, FilterJson.Value(value));

    /// <inheritdoc cref="Eq(string, string)"/>
    public static Filter Eq(string field, bool value) => Equality(field, FilterJson.Value(value));

    /// <inheritdoc cref="Eq(string, string)"/>
    public static Filter Eq(string field, int value) => Equality(field, FilterJson.Value(value));

    /// <inheritdoc cref="Eq(string, string)"/>
    public static Filter Eq(string field, long value) => Equality(field, FilterJson.Value(value));

    /// <inheritdoc cref="Eq(string, string)"/>
    public static Filter Eq(string field, double value) => Equality(field, FilterJson.Value(value, nameof(value)));

    /// <inheritdoc cref="Eq(string, string)"/>
    public static Filter Eq(string field, decimal value) => Equality(field, FilterJson.Value(value));

    /// <inheritdoc cref="Eq(string, string)"/>
    public static Filter Eq(string field, DateTimeOffset value) => Equality(field, FilterJson.Value(value));

    /// <inheritdoc cref="Eq(string, string)"/>
    public static Filter Eq(string field, JsonNode? value) => Equality(field, FilterJson.CopyValue(value, nameof(value)));

    // Not equal

    /// <summary>Documents whose <paramref name="field"/> differs from <paramref name="value"/> (<c>$ne</c>; also matches documents without the field).</summary>
    /// <param name="field">The field's JSON name; a dotted path (<c>address.city</c>) reaches into nested objects.</param>
    /// <param name="value">The value to compare with.</param>
    /// <returns>The filter.</returns>
    public static Filter Ne(string field, string? value) => Operator(field, "$ne", FilterJson.Value(value));

    /// <inheritdoc cref="Ne(string, string)"/>
    public static Filter Ne(string field, bool value) => Operator(field, "$ne", FilterJson.Value(value));

    /// <inheritdoc cref="Ne(string, string)"/>
    public static Filter Ne(string field, int value) => Operator(field, "$ne", FilterJson.Value(value));

    /// <inheritdoc cref="Ne(string, string)"/>
    public static Filter Ne(string field, long value) => Operator(field, "$ne", FilterJson.Value(value));

    /// <inheritdoc cref="Ne(string, string)"/>
    public static Filter Ne(string field, double value) => Operator(field, "$ne", FilterJson.Value(value, nameof(value)));

    /// <inheritdoc cref="Ne(string, string)"/>
    public static Filter Ne(string field, decimal value) => Operator(field, "$ne", FilterJson.Value(value));

    /// <inheritdoc cref="Ne(string, string)"/>
    public static Filter Ne(string field, DateTimeOffset value) => Operator(field, "$ne", FilterJson.Value(value));

    /// <inheritdoc cref="Ne(string, string)"/>
    public static Filter Ne(string field, JsonNode? value) => Operator(field, "$ne", FilterJson.CopyValue(value, nameof(value)));

    // Greater than

    /// <summary>Documents whose <paramref name="field"/> is greater than <paramref name="value"/> (<c>$gt</c>).</summary>
    /// <param name="field">The field's JSON name; a dotted path (<c>address.city</c>) reaches into nested objects.</param>
    /// <param name="value">The value to compare with.</param>
    /// <returns>The filter.</returns>
    public static Filter Gt(string field, string? value) => Operator(field, "$gt", FilterJson.Value(value));

    /// <inheritdoc cref="Gt(string, string)"/>
    public static Filter Gt(string field, bool value) => Operator(field, "$gt", FilterJson.Value(value));

    /// <inheritdoc cref="Gt(string, string)"/>
    public static Filter Gt(string field, int value) => Operator(field, "$gt", FilterJson.Value(value));

    /// <inheritdoc cref="Gt(string, string)"/>
    public static Filter Gt(string field, long value) => Operator(field, "$gt", FilterJson.Value(value));

    /// <inheritdoc cref="Gt(string, string)"/>
    public static Filter Gt(string field, double value) => Operator(field, "$gt", FilterJson.Value(value, nameof(value)));

    /// <inheritdoc cref="Gt(string, string)"/>
    public static Filter Gt(string field, decimal value) => Operator(field, "$gt", FilterJson.Value(value));

    /// <inheritdoc cref="Gt(string, string)"/>
    public static Filter Gt(string field, DateTimeOffset value) => Operator(field, "$gt", FilterJson.Value(value));

    /// <inheritdoc cref="Gt(string, string)"/>
    public static Filter Gt(string field, JsonNode? value) => Operator(field, "$gt", FilterJson.CopyValue(value, nameof(value)));

    // Greater than or equal

    /// <summary>Documents whose <paramref name="field"/> is greater than or equal to <paramref name="value"/> (<c>$gte</c>).</summary>
    /// <param name="field">The field's JSON name; a dotted path (<c>address.city</c>) reaches into nested objects.</param>
    /// <param name="value">The value to compare with.</param>
    /// <returns>The filter.</returns>
    public static Filter Gte(string field, string? value) => Operator(field, "$gte", FilterJson.Value(value));

    /// <inheritdoc cref="Gte(string, string)"/>
    public static Filter Gte(string field, bool value) => Operator(field, "$gte", FilterJson.Value(value));

    /// <inheritdoc cref="Gte(string, string)"/>
    public static Filter Gte(string field, int value) => Operator(field, "$gte", FilterJson.Value(value));

    /// <inheritdoc cref="Gte(string, string)"/>
    public static Filter Gte(string field, long value) => Operator(field, "$gte", FilterJson.Value(value));

    /// <inheritdoc cref="Gte(string, string)"/>
    public static Filter Gte(string field, double value) => Operator(field, "$gte", FilterJson.Value(value, nameof(value)));

    /// <inheritdoc cref="Gte(string, string)"/>
    public static Filter Gte(string field, decimal value) => Operator(field, "$gte", FilterJson.Value(value));

    /// <inheritdoc cref="Gte(string, string)"/>
    public static Filter Gte(string field, DateTimeOffset value) => Operator(field, "$gte", FilterJson.Value(value));

    /// <inheritdoc cref="Gte(string, string)"/>
    public static Filter Gte(string field, JsonNode? value) => Operator(field, "$gte", FilterJson.CopyValue(value, nameof(value)));

    // Less than

    /// <summary>Documents whose <paramref name="field"/> is less than <paramref name="value"/> (<c>$lt</c>).</summary>
    /// <param name="field">The field's JSON name; a dotted path (<c>address.city</c>) reaches into nested objects.</param>
    /// <param name="value">The value to compare with.</param>
    /// <returns>The filter.</returns>
    public static Filter Lt(string field, string? value) => Operator(field, "$lt", FilterJson.Value(value));

    /// <inheritdoc cref="Lt(string, string)"/>
    public static Filter Lt(string field, bool value) => Operator(field, "$lt", FilterJson.Value(value));

    /// <inheritdoc cref="Lt(string, string)"/>
    public static Filter Lt(string field, int value) => Operator(field, "$lt", FilterJson.Value(value));

    /// <inheritdoc cref="Lt(string, string)"/>
    public static Filter Lt(string field, long value) => Operator(field, "$lt", FilterJson.Value(value));

    /// <inheritdoc cref="Lt(string, string)"/>
    public static Filter Lt(string field, double value) => Operator(field, "$lt", FilterJson.Value(value, nameof(value)));

    /// <inheritdoc cref="Lt(string, string)"/>
    public static Filter Lt(string field, decimal value) => Operator(field, "$lt", FilterJson.Value(value));

    /// <inheritdoc cref="Lt(string, string)"/>
    public static Filter Lt(string field, DateTimeOffset value) => Operator(field, "$lt", FilterJson.Value(value));

    /// <inheritdoc cref="Lt(string, string)"/>
    public static Filter Lt(string field, JsonNode? value) => Operator(field, "$lt", FilterJson.CopyValue(value, nameof(value)));

    // Less than or equal

    /// <summary>Documents whose <paramref name="field"/> is less than or equal to <paramref name="value"/> (<c>$lte</c>).</summary>
    /// <param name="field">The field's JSON name; a dotted path (<c>address.city</c>) reaches into nested objects.</param>
    /// <param name="value">The value to compare with.</param>
    /// <returns>The filter.</returns>
    public static Filter Lte(string field, string? value) => Operator(field, "$lte", FilterJson.Value(value));

    /// <inheritdoc cref="Lte(string, string)"/>
    public static Filter Lte(string field, bool value) => Operator(field, "$lte", FilterJson.Value(value));

    /// <inheritdoc cref="Lte(string, string)"/>
    public static Filter Lte(string field, int value) => Operator(field, "$lte", FilterJson.Value(value));

    /// <inheritdoc cref="Lte(string, string)"/>
    public static Filter Lte(string field, long value) => Operator(field, "$lte", FilterJson.Value(value));

    /// <inheritdoc cref="Lte(string, string)"/>
    public static Filter Lte(string field, double value) => Operator(field, "$lte", FilterJson.Value(value, nameof(value)));

    /// <inheritdoc cref="Lte(string, string)"/>
    public static Filter Lte(string field, decimal value) => Operator(field, "$lte", FilterJson.Value(value));

    /// <inheritdoc cref="Lte(string, string)"/>
    public static Filter Lte(string field, DateTimeOffset value) => Operator(field, "$lte", FilterJson.Value(value));

    /// <inheritdoc cref="Lte(string, string)"/>
    public static Filter Lte(string field, JsonNode? value) => Operator(field, "$lte", FilterJson.CopyValue(value, nameof(value)));

    // In

    /// <summary>
    /// Documents whose <paramref name="field"/> equals one of <paramref name="values"/> (<c>$in</c>; an empty list matches
    /// nothing).
    /// </summary>
    /// <param name="field">The field's JSON name; a dotted path (<c>address.city</c>) reaches into nested objects.</param>
    /// <param name="values">The values, in the order given; <see langword="null"/> items are JSON <c>null</c>.</param>
    /// <returns>The filter.</returns>
    public static Filter In(string field, params string?[] values) => List(field, "$in", values, FilterJson.Value);

    /// <inheritdoc cref="In(string, string[])"/>
    public static Filter In(string field, IEnumerable<string?> values) => List(field, "$in", values, FilterJson.Value);

    /// <inheritdoc cref="In(string, string[])"/>
    public static Filter In(string field, params bool[] values) => List(field, "$in", values, FilterJson.Value);

    /// <inheritdoc cref="In(string, string[])"/>
    public static Filter In(string field, IEnumerable<bool> values) => List(field, "$in", values, FilterJson.Value);

    /// <inheritdoc cref="In(string, string[])"/>
    public static Filter In(string field, params int[] values) => List(field, "$in", values, FilterJson.Value);

    /// <inheritdoc cref="In(string, string[])"/>
    public static Filter In(string field, IEnumerable<int> values) => List(field, "$in", values, FilterJson.Value);

    /// <inheritdoc cref="In(string, string[])"/>
    public static Filter In(string field, params long[] values) => List(field, "$in", values, FilterJson.Value);

    /// <inheritdoc cref="In(string, string[])"/>
    public static Filter In(string field, IEnumerable<long> values) => List(field, "$in", values, FilterJson.Value);

    /// <inheritdoc cref="In(string, string[])"/>
    public static Filter In(string field, params double[] values) => List(field, "$in", values, v => FilterJson.Value(v, nameof(values)));

    /// <inheritdoc cref="In(string, string[])"/>
    public static Filter In(string field, IEnumerable<double> values) => List(field, "$in", values, v => FilterJson.Value(v, nameof(values)));

    /// <inheritdoc cref="In(string, string[])"/>
    public static Filter In(string field, params decimal[] values) => List(field, "$in", values, FilterJson.Value);

    /// <inheritdoc cref="In(string, string[])"/>
    public static Filter In(string field, IEnumerable<decimal> values) => List(field, "$in", values, FilterJson.Value);

    /// <inheritdoc cref="In(string, string[])"/>
    public static Filter In(string field, params DateTimeOffset[] values) => List(field, "$in", values, FilterJson.Value);

    /// <inheritdoc cref="In(string, string[])"/>
    public static Filter In(string field, IEnumerable<DateTimeOffset> values) => List(field, "$in", values, FilterJson.Value);

    /// <inheritdoc cref="In(string, string[])"/>
    public static Filter In(string field, IEnumerable<JsonNode?> values) => List(field, "$in", values, v => FilterJson.CopyValue(v, nameof(values)));

    // Not in

    /// <summary>
    /// Documents whose <paramref name="field"/> equals none of <paramref name="values"/> (<c>$nin</c>; also matches
    /// documents without the field).
    /// </summary>
    /// <param name="field">The field's JSON name; a dotted path (<c>address.city</c>) reaches into nested objects.</param>
    /// <param name="values">The values, in the order given; <see langword="null"/> items are JSON <c>null</c>.</param>
    /// <returns>The filter.</returns>
    public static Filter NotIn(string field, params string?[] values) => List(field, "$nin", values, FilterJson.Value);

    /// <inheritdoc cref="NotIn(string, string[])"/>
    public static Filter NotIn(string field, IEnumerable<string?> values) => List(field, "$nin", values, FilterJson.Value);

    /// <inheritdoc cref="NotIn(string, string[])"/>
    public static Filter NotIn(string field, params bool[] values) => List(field, "$nin", values, FilterJson.Value);

    /// <inheritdoc cref="NotIn(string, string[])"/>
    public static Filter NotIn(string field, IEnumerable<bool> values) => List(field, "$nin", values, FilterJson.Value);

    /// <inheritdoc cref="NotIn(string, string[])"/>
    public static Filter NotIn(string field, params int[] values) => List(field, "$nin", values, FilterJson.Value);

    /// <inheritdoc cref="NotIn(string, string[])"/>
    public static Filter NotIn(string field, IEnumerable<int> values) => List(field, "$nin", values, FilterJson.Value);

    /// <inheritdoc cref="NotIn(string, string[])"/>
    public static Filter NotIn(string field, params long[] values) => List(field, "$nin", values, FilterJson.Value);

    /// <inheritdoc cref="NotIn(string, string[])"/>
    public static Filter NotIn(string field, IEnumerable<long> values) => List(field, "$nin", values, FilterJson.Value);

    /// <inheritdoc cref="NotIn(string, string[])"/>
    public static Filter NotIn(string field, params double[] values) => List(field, "$nin", values, v => FilterJson.Value(v, nameof(values)));

    /// <inheritdoc cref="NotIn(string, string[])"/>
    public static Filter NotIn(string field, IEnumerable<double> values) => List(field, "$nin", values, v => FilterJson.Value(v, nameof(values)));

    /// <inheritdoc cref="NotIn(string, string[])"/>
    public static Filter NotIn(string field, params decimal[] values) => List(field, "$nin", values, FilterJson.Value);

    /// <inheritdoc cref="NotIn(string, string[])"/>
    public static Filter NotIn(string field, IEnumerable<decimal> values) => List(field, "$nin", values, FilterJson.Value);

    /// <inheritdoc cref="NotIn(string, string[])"/>
    public static Filter NotIn(string field, params DateTimeOffset[] values) => List(field, "$nin", values, FilterJson.Value);

    /// <inheritdoc cref="NotIn(string, string[])"/>
    public static Filter NotIn(string field, IEnumerable<DateTimeOffset> values) => List(field, "$nin", values, FilterJson.Value);

    /// <inheritdoc cref="NotIn(string, string[])"/>
    public static Filter NotIn(string field, IEnumerable<JsonNode?> values) => List(field, "$nin", values, v => FilterJson.CopyValue(v, nameof(values)));

    // Exists

    /// <summary>
    /// Documents that have <paramref name="field"/> (<c>{"f":{"$exists":true}}</c>; a field holding <c>null</c> exists),
    /// or, with <paramref name="exists"/> false, documents that lack it.
    /// </summary>
    /// <param name="field">The field's JSON name; a dotted path (<c>address.city</c>) reaches into nested objects.</param>
    /// <param name="exists">True for documents that have the field, false for those that do not.</param>
    /// <returns>The filter.</returns>
    public static Filter Exists(string field, bool exists = true) => Operator(field, "$exists", FilterJson.Value(exists));

    // Combining

    /// <summary>
    /// Documents that match every filter. Nested ANDs are flattened; see the remarks on <see cref="Filter"/> for how
    /// conditions on the same field merge. <see cref="Empty"/> operands are ignored.
    /// </summary>
    /// <param name="filters">At least one filter.</param>
    /// <returns>The combined filter (the operand itself when there is only one).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="filters"/> or one of its items is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="filters"/> is empty.</exception>
    public static Filter And(params Filter[] filters)
    {
        CheckOperands(filters, nameof(filters));
        if (filters.Length == 1)
        {
            return filters[0];
        }

        return new Filter(FilterJson.And(filters.Select(filter => filter._root)));
    }

    /// <summary>
    /// Documents that match at least one filter (<c>$or</c>). Nested ORs are flattened into one <c>$or</c> array. An
    /// <see cref="Empty"/> operand matches every document, and so does the result.
    /// </summary>
    /// <param name="filters">At least one filter.</param>
    /// <returns>The combined filter (the operand itself when there is only one).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="filters"/> or one of its items is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="filters"/> is empty.</exception>
    public static Filter Or(params Filter[] filters)
    {
        CheckOperands(filters, nameof(filters));
        if (filters.Length == 1)
        {
            return filters[0];
        }

        if (filters.Any(filter => filter.IsEmpty))
        {
            return Empty;
        }

        return new Filter(FilterJson.Or(filters.Select(filter => filter._root)));
    }

    /// <summary>Documents that match both filters: <c>And(left, right)</c>.</summary>
    /// <param name="left">The first filter.</param>
    /// <param name="right">The second filter.</param>
    /// <returns>The combined filter.</returns>
    public static Filter operator &(Filter left, Filter right) => BitwiseAnd(left, right);

    /// <summary>Documents that match either filter: <c>Or(left, right)</c>.</summary>
    /// <param name="left">The first filter.</param>
    /// <param name="right">The second filter.</param>
    /// <returns>The combined filter.</returns>
    public static Filter operator |(Filter left, Filter right) => BitwiseOr(left, right);

    /// <summary>The named form of <c>&amp;</c>: <c>And(left, right)</c>.</summary>
    /// <param name="left">The first filter.</param>
    /// <param name="right">The second filter.</param>
    /// <returns>The combined filter.</returns>
    public static Filter BitwiseAnd(Filter left, Filter right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return And(left, right);
    }

    /// <summary>The named form of <c>|</c>: <c>Or(left, right)</c>.</summary>
    /// <param name="left">The first filter.</param>
    /// <param name="right">The second filter.</param>
    /// <returns>The combined filter.</returns>
    public static Filter BitwiseOr(Filter left, Filter right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return Or(left, right);
    }

    // Raw JSON

    /// <summary>
    /// A filter written as JSON, checked against what the server accepts: only equality and <c>$eq $ne $gt $gte $lt
    /// $lte $in $nin $exists $and $or</c>, in their places. <c>$regex</c>, <c>$text</c>, <c>$where</c> (which the server
    /// refuses with a 400) and every other operator are refused here, however deeply nested.
    /// </summary>
    /// <param name="filter">The filter object. It is copied: changing it afterwards does not change the filter.</param>
    /// <returns>The filter.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="filter"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="filter"/> uses an operator the server refuses, or has a blank or <c>$</c>-prefixed field name, or
    /// an <c>$and</c>/<c>$or</c>/<c>$in</c>/<c>$nin</c> that is not an array; the message gives the path.
    /// </exception>
    public static Filter FromJson(JsonObject filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var copy = (JsonObject)FilterJson.Copy(filter, nameof(filter))!;
        FilterJson.Validate(copy, nameof(filter));
        return new Filter(copy);
    }

    /// <summary>A filter written as JSON text; see <see cref="FromJson(JsonObject)"/> for the checks.</summary>
    /// <param name="filter">A JSON object, such as <c>{"status":"open"}</c>.</param>
    /// <returns>The filter.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="filter"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="filter"/> is not a JSON object, or fails the checks.</exception>
    public static Filter FromJson(string filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(filter);
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new ArgumentException($"filter is not valid JSON: {ex.Message}", nameof(filter), ex);
        }

        if (node is not JsonObject root)
        {
            throw new ArgumentException("filter must be a JSON object, such as {\"status\":\"open\"}.", nameof(filter));
        }

        FilterJson.Validate(root, nameof(filter));
        return new Filter(root);
    }

    // Output and equality

    /// <summary>The JSON the query carries, compact, as in <c>{"status":"open"}</c>.</summary>
    internal string ToJson() => _json ??= FilterJson.Write(_root);

    /// <summary>The filter's JSON, compact, as in <c>{"status":"open","priority":{"$gt":2}}</c>.</summary>
    /// <returns>The JSON text.</returns>
    public override string ToString() => ToJson();

    /// <summary>True when both filters' JSON means the same (see the remarks on <see cref="Filter"/>).</summary>
    /// <param name="other">The filter to compare with.</param>
    /// <returns>True when equal.</returns>
    public bool Equals(Filter? other) =>
        other is not null && (ReferenceEquals(this, other) || string.Equals(Canonical, other.Canonical, StringComparison.Ordinal));

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Filter);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Canonical);

    private string Canonical => _canonical ??= FilterJson.Canonical(ToJson());

    // Building blocks

    internal static Filter FromTrustedRoot(JsonObject root) => new(root);

    private static Filter Equality(string field, JsonNode? value)
    {
        FilterJson.CheckField(field, nameof(field));

        // An object's own keys could read as operators: {"$eq":{…}} says it is a value.
        var condition = value is JsonObject ? new JsonObject { ["$eq"] = value } : value;
        return new Filter(new JsonObject { [field] = condition });
    }

    private static Filter Operator(string field, string op, JsonNode? value)
    {
        FilterJson.CheckField(field, nameof(field));
        return new Filter(new JsonObject { [field] = new JsonObject { [op] = value } });
    }

    private static Filter List<T>(string field, string op, IEnumerable<T> values, Func<T, JsonNode?> convert)
    {
        FilterJson.CheckField(field, nameof(field));
        ArgumentNullException.ThrowIfNull(values);
        var array = new JsonArray();
        foreach (var value in values)
        {
            array.Add(convert(value));
        }

        return new Filter(new JsonObject { [field] = new JsonObject { [op] = array } });
    }

    private static void CheckOperands(Filter[] filters, string paramName)
    {
        if (filters is null)
        {
            throw new ArgumentNullException(paramName);
        }

        if (filters.Length == 0)
        {
            throw new ArgumentException($"{paramName} must hold at least one filter.", paramName);
        }

        for (var i = 0; i < filters.Length; i++)
        {
            if (filters[i] is null)
            {
                throw new ArgumentNullException(paramName, string.Format(CultureInfo.InvariantCulture, "{0}[{1}] is null.", paramName, i));
            }
        }
    }
}
