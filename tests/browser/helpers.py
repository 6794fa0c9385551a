"""Small helpers shared by the browser tests."""


def navigate(page, group: str, link: str) -> None:
    """Follow a main-navigation link, opening its drop-down group first when it has one."""
    nav = page.get_by_role("navigation", name="主导航")
    target = nav.get_by_role("link", name=link, exact=True)
    if not target.is_visible():
        nav.get_by_role("button", name=group, exact=True).click()
    target.click()


def log_in(page, base_url, username, password) -> None:
    """Log in through the login page and wait for the portal to open."""
    from playwright.sync_api import expect

    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_test_id("user-menu")).to_be_visible()
