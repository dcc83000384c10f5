using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SupportSlm.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class DirectLineSecrets : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "DirectLineSecrets",
                columns: table => new
                {
                    BotName = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Sha256 = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    RotatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DirectLineSecrets", x => x.BotName);
                });

            migrationBuilder.CreateIndex(
                name: "IX_DirectLineSecrets_Sha256",
                table: "DirectLineSecrets",
                column: "Sha256",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DirectLineSecrets");
        }
    }
}
