def test_home_page_is_served_in_chinese(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert 'lang="zh-CN"' in response.content.decode()
    assert "向阳" in response.content.decode()


def test_supervisee_sees_own_dashboard(world, login):
    client = login(world.users["supervisee"])
    response = client.get("/dashboard/")
    assert response.status_code == 200
    assert world.supervisee.unit.name in response.content.decode()
