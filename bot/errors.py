"""Turning any command failure into a short private reply, never a traceback in the channel.

`UserError` carries text meant for the person who typed the command (bad input, missing
permission). Anything else is logged with its traceback and answered with a generic line.
"""

from __future__ import annotations

import logging

import discord
from discord import app_commands

log = logging.getLogger(__name__)

GENERIC_FAILURE = "Something went wrong on our side; the error was logged."


class UserError(Exception):
    """A problem the user can fix; the message is shown to them as is (already escaped)."""


def describe(error: BaseException) -> str:
    """The short text shown to the user for an error raised inside a command."""
    original = getattr(error, "original", None)
    if isinstance(original, UserError):
        return str(original)
    if isinstance(error, UserError):
        return str(error)
    if isinstance(error, app_commands.MissingPermissions):
        return "You need the Manage Server permission for this command."
    if isinstance(error, app_commands.NoPrivateMessage):
        return "This command only works inside a server."
    if isinstance(error, app_commands.TransformerError):
        return "One of the options has a value this command cannot use."
    if isinstance(error, app_commands.CommandNotFound):
        return "This command is not known any more; Discord may still be updating the list."
    return GENERIC_FAILURE


async def reply_error(
    interaction: discord.Interaction, error: app_commands.AppCommandError
) -> None:
    """The tree's error handler: log, then answer privately whether or not we deferred."""
    text = describe(error)
    command = interaction.command.qualified_name if interaction.command else None
    if text == GENERIC_FAILURE:
        log.error("command %r failed", command, exc_info=error)
    else:
        log.info("command %r refused: %r", command, text)
    try:
        if interaction.response.is_done():
            await interaction.followup.send(
                text, ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
            )
        else:
            await interaction.response.send_message(
                text, ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
            )
    except discord.HTTPException:
        log.warning("could not deliver the error reply for %r", command, exc_info=True)
