import { useQuery } from '@apollo/client';
import { FlatList } from 'react-native';
import { ChildCard } from '../../components/ChildCard';
import { graphql } from '../../gql';

const HomeQuery = graphql(`
  query Home {
    me {
      id
      firstName
      children {
        id
        ...ChildCard
      }
    }
  }
`);

export default function Home() {
  const { data } = useQuery(HomeQuery);
  return <FlatList data={data?.me?.children ?? []} renderItem={({ item }) => <ChildCard child={item} />} />;
}
