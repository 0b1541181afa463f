"""Background work for casework, run by the task queue's worker (`saferplan db_worker`)."""

from __future__ import annotations

from django_tasks import task


@task()
def feed_run_task(partnership_id: int, user_id: int | None = None) -> dict:
    """Record the casework counts into the plan's indicators (casework.services.feeds.feed_run), all or nothing:
    returns the counts recorded, or {"refused": why} when a count breaks a rule and nothing was written."""
    from saferplan.accounts.models import User
    from saferplan.casework.services.feeds import FeedRefused, feed_run
    from saferplan.plans.models import Partnership

    partnership = Partnership.objects.get(pk=partnership_id)
    user = User.objects.filter(pk=user_id).first() if user_id else None
    try:
        return feed_run(partnership=partnership, user=user)
    except FeedRefused as exc:
        return {"refused": str(exc)}
