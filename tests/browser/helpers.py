"""Small helpers shared by the browser tests."""


def navigate(page, group: str, link: str) -> None:
    """Follow a main-navigation link, opening its drop-down group first when it has one."""
    nav = page.get_by_role("navigation", name="主导航")
    target = nav.get_by_role("link", name=link, exact=True)
    if not target.is_visible():
        nav.get_by_role("button", name=group, exact=True).click()
    target.click()
