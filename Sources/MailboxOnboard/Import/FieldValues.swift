/// A row's values by field. A fixed array indexed by field: every row builds one, and a dictionary's hashing and
/// resizing were a measurable share of an import.
public struct FieldValues: Sendable, Equatable, ExpressibleByDictionaryLiteral {
    private var storage = [String?](repeating: nil, count: InputField.allCases.count)

    public init() {}

    public init(dictionaryLiteral elements: (InputField, String)...) {
        for (field, value) in elements { self[field] = value }
    }

    public subscript(field: InputField) -> String? {
        get { storage[field.ordinal] }
        set { storage[field.ordinal] = newValue }
    }
}
