"""A comparison bot for `cargo bench --bench compare`, not part of mentorbot: the same /tip, /reflect,
/log and /balance work written the way a typical Python developer would, with discord.py 2.x,
aiosqlite and Pillow, so CPU per command, durable writes and memory can be measured side by side.

Environment: DISCORD_TOKEN, DISCORD_API_BASE (e.g. http://127.0.0.1:12345, a fake Discord),
DATABASE_PATH, PROMPTS_DIR (the repo's prompts/ folder).
"""

import io
import logging
import os
import random
import re
import tomllib
from datetime import datetime, timedelta, timezone
from pathlib import Path

import aiosqlite
import discord
import yarl
from discord import app_commands
from PIL import Image, ImageDraw

TOKEN = os.environ["DISCORD_TOKEN"]
API_BASE = os.environ.get("DISCORD_API_BASE")
DATABASE_PATH = os.environ.get("DATABASE_PATH", "mentor.db")
PROMPTS_DIR = Path(os.environ.get("PROMPTS_DIR", "prompts"))

if API_BASE:
    discord.http.Route.BASE = API_BASE.rstrip("/") + "/api/v10"


def load(name: str, key: str) -> list[dict]:
    with open(PROMPTS_DIR / name, "rb") as f:
        return tomllib.load(f)[key]


TIPS = load("tips.toml", "tip")
TIPS_BY_ID = {tip["id"]: tip for tip in TIPS}
PROMPTS = load("reflections.toml", "prompt")
STAGES = {stage["id"]: stage for stage in load("stages.toml", "stage")}
FIRST_STAGE = next(iter(STAGES))

LEAD_WORDS = {
    "vision", "strategy", "strategic", "coach", "coaching", "mentor", "influence", "why", "story",
    "inspire", "trust", "culture", "purpose", "align", "alignment", "persuade", "grow", "growth",
    "feedback", "opportunity", "bet", "future", "values", "empower", "listen",
}
MANAGE_WORDS = {
    "deadline", "deadlines", "status", "ticket", "tickets", "roadmap", "sprint", "sprints",
    "meeting", "meetings", "backlog", "estimate", "estimates", "schedule", "budget", "release",
    "process", "plan", "planning", "risk", "scope", "report", "metrics", "standup", "launch",
}

SCHEMA = """
CREATE TABLE IF NOT EXISTS members (
    user_id TEXT PRIMARY KEY,
    stage TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE IF NOT EXISTS reflections (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id TEXT NOT NULL REFERENCES members(user_id),
    text TEXT NOT NULL,
    mode TEXT NOT NULL CHECK (mode IN ('manage', 'lead')),
    created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX IF NOT EXISTS reflections_by_user ON reflections (user_id, created_at);
CREATE TABLE IF NOT EXISTS tips_shown (
    user_id TEXT NOT NULL,
    tip_id TEXT NOT NULL,
    shown_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX IF NOT EXISTS tips_shown_by_user ON tips_shown (user_id, shown_at);
"""


class ShareButton(discord.ui.DynamicItem[discord.ui.Button], template=r"share:(?P<tip_id>[\w-]+)"):
    """A stateless button: the tip id lives in the custom id, so it works after a restart too."""

    def __init__(self, tip_id: str) -> None:
        super().__init__(discord.ui.Button(label="Share", style=discord.ButtonStyle.primary, custom_id=f"share:{tip_id}"))
        self.tip_id = tip_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]):
        return cls(match["tip_id"])

    async def callback(self, interaction: discord.Interaction) -> None:
        tip = TIPS_BY_ID.get(self.tip_id)
        if tip is None:
            await interaction.response.send_message("That tip no longer exists.", ephemeral=True)
            return
        await interaction.response.send_message(f"{interaction.user.mention} shared a tip:", embed=tip_embed(tip))


def tip_embed(tip: dict) -> discord.Embed:
    return discord.Embed(title=tip["title"], description=tip["body"], colour=discord.Colour.blurple())


class MentorBot(discord.Client):
    def __init__(self) -> None:
        super().__init__(intents=discord.Intents.default())
        self.tree = app_commands.CommandTree(self)
        self.db: aiosqlite.Connection

    async def setup_hook(self) -> None:
        self.db = await aiosqlite.connect(DATABASE_PATH)
        await self.db.execute("PRAGMA journal_mode=WAL")
        await self.db.execute("PRAGMA synchronous=FULL")
        await self.db.executescript(SCHEMA)
        await self.db.commit()
        self.add_dynamic_items(ShareButton)
        if API_BASE:
            # discord.py connects to wss://gateway.discord.gg unless told otherwise.
            _, url, _ = await self.http.get_bot_gateway()
            discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)
        await self.tree.sync()  # mentorbot registers its commands at start too

    async def close(self) -> None:
        await super().close()
        if hasattr(self, "db"):
            await self.db.close()

    async def ensure_member(self, user: discord.abc.User) -> str:
        """Adds the member on first use; returns their stage."""
        await self.db.execute("INSERT OR IGNORE INTO members (user_id, stage) VALUES (?, ?)", (str(user.id), FIRST_STAGE))
        await self.db.commit()
        async with self.db.execute("SELECT stage FROM members WHERE user_id = ?", (str(user.id),)) as cursor:
            row = await cursor.fetchone()
        return row[0] if row and row[0] in STAGES else FIRST_STAGE


bot = MentorBot()


@bot.tree.command(description="A tip for your career stage")
@app_commands.describe(topic="Words to narrow the tip down, e.g. backlog or hiring")
async def tip(interaction: discord.Interaction, topic: str | None = None) -> None:
    user_id = str(interaction.user.id)
    stage = await bot.ensure_member(interaction.user)
    pool = [t for t in TIPS if stage in t["stages"]] or TIPS
    if topic:
        words = re.findall(r"[a-z]+", topic.lower())
        matching = [t for t in pool if any(w in " ".join(t["topics"] + [t["title"], t["body"]]).lower() for w in words)]
        pool = matching or pool
    async with bot.db.execute(
        "SELECT tip_id FROM tips_shown WHERE user_id = ? ORDER BY rowid DESC LIMIT 10", (user_id,)
    ) as cursor:
        recent = {row[0] for row in await cursor.fetchall()}
    chosen = random.choice([t for t in pool if t["id"] not in recent] or pool)
    await bot.db.execute("INSERT INTO tips_shown (user_id, tip_id) VALUES (?, ?)", (user_id, chosen["id"]))
    await bot.db.commit()
    view = discord.ui.View(timeout=None)
    view.add_item(ShareButton(chosen["id"]))
    await interaction.response.send_message(embed=tip_embed(chosen), view=view, ephemeral=True)


def classify(text: str) -> str:
    words = re.findall(r"[a-z']+", text.lower())
    lead = sum(w in LEAD_WORDS for w in words)
    manage = sum(w in MANAGE_WORDS for w in words)
    return "lead" if lead > manage else "manage"


@bot.tree.command(description="Write down a reflection on your week")
@app_commands.describe(text="What happened, and what you did about it")
async def reflect(interaction: discord.Interaction, text: str) -> None:
    text = text.strip()
    if not text or len(text) > 2000:
        await interaction.response.send_message("A reflection needs 1 to 2000 characters.", ephemeral=True)
        return
    stage = await bot.ensure_member(interaction.user)
    mode = classify(text)
    await bot.db.execute(
        "INSERT INTO reflections (user_id, text, mode) VALUES (?, ?, ?)", (str(interaction.user.id), text, mode)
    )
    await bot.db.commit()
    wanted = "leadership" if mode == "lead" else "management"
    prompts = [p for p in PROMPTS if p["mode"] == wanted and stage in p["stages"]] or PROMPTS
    await interaction.response.send_message(f"Saved ({mode}).\n{random.choice(prompts)['question']}", ephemeral=True)


@bot.tree.command(description="Your latest reflections")
async def log(interaction: discord.Interaction) -> None:
    user_id = str(interaction.user.id)
    await bot.ensure_member(interaction.user)
    async with bot.db.execute(
        "SELECT created_at, mode, text FROM reflections WHERE user_id = ? ORDER BY id DESC LIMIT 10", (user_id,)
    ) as cursor:
        rows = await cursor.fetchall()
    async with bot.db.execute("SELECT COUNT(*) FROM reflections WHERE user_id = ?", (user_id,)) as cursor:
        (total,) = await cursor.fetchone()
    embed = discord.Embed(title="Your reflections", colour=discord.Colour.blurple())
    if rows:
        embed.description = "\n".join(f"`{created[:10]}` **{mode}** {text[:80]}" for created, mode, text in rows)
        embed.set_footer(text=f"{len(rows)} of {total}")
    else:
        embed.description = "Nothing yet: try /reflect."
    await interaction.response.send_message(embed=embed, ephemeral=True)


def draw_chart(weeks: list[str], counts: dict[tuple[str, str], int], target: int) -> io.BytesIO:
    """Stacked bars of each week's management (bottom) and leadership share, and the target line."""
    image = Image.new("RGB", (600, 300), "white")
    draw = ImageDraw.Draw(image)
    left, top, right, bottom = 40, 40, 580, 270
    draw.text((left, 12), f"Management vs leadership, last 12 weeks (target {target}% management)", fill="black")
    slot = (right - left) / len(weeks)
    for i, week in enumerate(weeks):
        manage, lead = counts.get((week, "manage"), 0), counts.get((week, "lead"), 0)
        x0, x1 = left + i * slot + 6, left + (i + 1) * slot - 6
        if manage + lead:
            split = bottom - (bottom - top) * manage / (manage + lead)
            if manage:
                draw.rectangle((x0, split, x1, bottom), fill="#4c6ef5")
            if lead:
                draw.rectangle((x0, top, x1, split), fill="#f59f00")
        draw.text((x0, bottom + 6), week[5:], fill="black")
    target_y = bottom - (bottom - top) * target / 100
    draw.line((left, target_y, right, target_y), fill="#e03131", width=2)
    draw.line((left, bottom, right, bottom), fill="black")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    return buffer


@bot.tree.command(description="Your management and leadership balance over 12 weeks")
async def balance(interaction: discord.Interaction) -> None:
    stage = STAGES[await bot.ensure_member(interaction.user)]
    today = datetime.now(timezone.utc).date()
    monday = today - timedelta(days=today.weekday())
    weeks = [(monday - timedelta(weeks=n)).isoformat() for n in range(11, -1, -1)]
    async with bot.db.execute(
        """SELECT date(created_at, 'weekday 0', '-6 days') AS week, mode, COUNT(*) FROM reflections
           WHERE user_id = ? AND created_at >= ? GROUP BY week, mode""",
        (str(interaction.user.id), weeks[0]),
    ) as cursor:
        counts = {(week, mode): n for week, mode, n in await cursor.fetchall()}
    manage = sum(n for (_, mode), n in counts.items() if mode == "manage")
    total = sum(counts.values())
    target = stage["target_management"]
    embed = discord.Embed(title="Your balance, last 12 weeks", colour=discord.Colour.blurple())
    if total == 0:
        embed.description = f"No reflections yet. Aim for about {target}% management as {stage['name']}."
    else:
        share = round(100 * manage / total)
        if share > target + 10:
            advice = f"More management than your target: {stage['leadership_focus']}"
        elif share < target - 10:
            advice = f"Less management than your target: {stage['management_focus']}"
        else:
            advice = "Close to your target. Keep it up."
        embed.description = f"{share}% management over {total} reflections (target {target}%).\n{advice}"
    embed.set_image(url="attachment://balance.png")
    chart = discord.File(draw_chart(weeks, counts, target), filename="balance.png")
    await interaction.response.send_message(embed=embed, file=chart, ephemeral=True)


if __name__ == "__main__":
    bot.run(TOKEN, log_level=logging.WARNING)
