from attendees.accounts import conference_page_from_next


def account_conference(request):
    """On account pages, the conference the person came from (their `next`): its header, and
    `back_to` its page."""
    match = getattr(request, "resolver_match", None)
    if match is None or not (match.url_name or "").startswith("account_"):
        return {}
    page = conference_page_from_next(request)
    return {"conference": page.conference, "back_to": page.path} if page else {}
