using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SupportSlm.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class KnowledgeRetrieval : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Chunks_DocumentId_Ordinal",
                table: "Chunks");

            migrationBuilder.AddColumn<int>(
                name: "AddedInVersion",
                table: "Chunks",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<string>(
                name: "EmbeddingModel",
                table: "Chunks",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "LexicalLength",
                table: "Chunks",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "RemovedInVersion",
                table: "Chunks",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ChunkTerms",
                columns: table => new
                {
                    ChunkId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Term = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Frequency = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ChunkTerms", x => new { x.ChunkId, x.Term });
                    table.ForeignKey(
                        name: "FK_ChunkTerms_Chunks_ChunkId",
                        column: x => x.ChunkId,
                        principalTable: "Chunks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Chunks_DocumentId_AddedInVersion_Ordinal",
                table: "Chunks",
                columns: new[] { "DocumentId", "AddedInVersion", "Ordinal" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ChunkTerms_Term",
                table: "ChunkTerms",
                column: "Term");

            // BM25 for the embedded default: an FTS5 table over the analysed terms of each chunk (written by the
            // retrieval indexer), linked by chunk id; the trigger keeps it clean when chunks are deleted by cascade.
            migrationBuilder.Sql("CREATE VIRTUAL TABLE ChunkSearch USING fts5(Terms, ChunkId UNINDEXED, tokenize = 'unicode61 remove_diacritics 0');");
            migrationBuilder.Sql("CREATE TRIGGER Chunks_DeleteSearch AFTER DELETE ON Chunks BEGIN DELETE FROM ChunkSearch WHERE ChunkId = old.Id; END;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER Chunks_DeleteSearch;");
            migrationBuilder.Sql("DROP TABLE ChunkSearch;");

            migrationBuilder.DropTable(
                name: "ChunkTerms");

            migrationBuilder.DropIndex(
                name: "IX_Chunks_DocumentId_AddedInVersion_Ordinal",
                table: "Chunks");

            migrationBuilder.DropColumn(
                name: "AddedInVersion",
                table: "Chunks");

            migrationBuilder.DropColumn(
                name: "EmbeddingModel",
                table: "Chunks");

            migrationBuilder.DropColumn(
                name: "LexicalLength",
                table: "Chunks");

            migrationBuilder.DropColumn(
                name: "RemovedInVersion",
                table: "Chunks");

            migrationBuilder.CreateIndex(
                name: "IX_Chunks_DocumentId_Ordinal",
                table: "Chunks",
                columns: new[] { "DocumentId", "Ordinal" },
                unique: true);
        }
    }
}
