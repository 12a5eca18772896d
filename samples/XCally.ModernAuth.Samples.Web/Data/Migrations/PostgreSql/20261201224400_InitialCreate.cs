using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace XCally.ModernAuth.Samples.Web.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class InitialCreate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Administrators",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    UserName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    NormalizedUserName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    PasswordHash = table.Column<string>(type: "text", nullable: false),
                    PasswordSetOn = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Administrators", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "CloudProviders",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    NormalizedName = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Service = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    TenantId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    ClientId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Cloud = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Flow = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    RedirectUri = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                    AuthorityHost = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                    AllowNonMicrosoftAuthority = table.Column<bool>(type: "boolean", nullable: false),
                    CredentialKind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    ProtectedSecret = table.Column<string>(type: "text", nullable: true),
                    SecretSetOn = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    SecretExpiresOn = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ProtectedCertificate = table.Column<string>(type: "text", nullable: true),
                    ProtectedCertificatePassword = table.Column<string>(type: "text", nullable: true),
                    CertificateThumbprint = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    CertificateSubject = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: true),
                    CertificateExpiresOn = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    SalesforceAppType = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    SalesforceFlow = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    LoginUrl = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                    ConsumerKey = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true),
                    Username = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    ProtectedPassword = table.Column<string>(type: "text", nullable: true),
                    ProtectedSecurityToken = table.Column<string>(type: "text", nullable: true),
                    AllowUsernamePasswordFlow = table.Column<bool>(type: "boolean", nullable: false),
                    AllowNonSalesforceHost = table.Column<bool>(type: "boolean", nullable: false),
                    SessionTimeoutMinutes = table.Column<int>(type: "integer", nullable: false),
                    IsDemo = table.Column<bool>(type: "boolean", nullable: false),
                    Version = table.Column<long>(type: "bigint", nullable: false),
                    UpdatedOn = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CloudProviders", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "EmailAccounts",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Address = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    NormalizedAddress = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    UserName = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true),
                    CloudProviderId = table.Column<int>(type: "integer", nullable: false),
                    ImapEnabled = table.Column<bool>(type: "boolean", nullable: false),
                    ImapHost = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: true),
                    ImapPort = table.Column<int>(type: "integer", nullable: true),
                    ImapTlsMode = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    Pop3Enabled = table.Column<bool>(type: "boolean", nullable: false),
                    Pop3Host = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: true),
                    Pop3Port = table.Column<int>(type: "integer", nullable: true),
                    Pop3TlsMode = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    SmtpEnabled = table.Column<bool>(type: "boolean", nullable: false),
                    SmtpHost = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: true),
                    SmtpPort = table.Column<int>(type: "integer", nullable: true),
                    SmtpTlsMode = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    WatchInbox = table.Column<bool>(type: "boolean", nullable: false),
                    IsDemo = table.Column<bool>(type: "boolean", nullable: false),
                    Version = table.Column<long>(type: "bigint", nullable: false),
                    UpdatedOn = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EmailAccounts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_EmailAccounts_CloudProviders_CloudProviderId",
                        column: x => x.CloudProviderId,
                        principalTable: "CloudProviders",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Administrators_NormalizedUserName",
                table: "Administrators",
                column: "NormalizedUserName",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_CloudProviders_NormalizedName",
                table: "CloudProviders",
                column: "NormalizedName",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_EmailAccounts_CloudProviderId",
                table: "EmailAccounts",
                column: "CloudProviderId");

            migrationBuilder.CreateIndex(
                name: "IX_EmailAccounts_NormalizedAddress",
                table: "EmailAccounts",
                column: "NormalizedAddress",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Administrators");

            migrationBuilder.DropTable(
                name: "EmailAccounts");

            migrationBuilder.DropTable(
                name: "CloudProviders");
        }
    }
}
