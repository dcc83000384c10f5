namespace SupportSlm.Retrieval.Ingestion;

/// <summary>A document reduced to its title and heading sections of plain text; what the chunker consumes.</summary>
public sealed record ParsedDocument(string Title, IReadOnlyList<Section> Sections);

/// <summary>Text under one heading. <see cref="Anchor"/> lets a citation link to the section.</summary>
public sealed record Section(string? Heading, string? Anchor, string Text);
